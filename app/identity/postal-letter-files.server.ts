import { stringify } from "csv-stringify/sync";
import PDFDocument from "pdfkit";
import { neutraliseFormula } from "../comments/cts-export.server";
import { pdfText } from "../reports/exports.server";
import { formatDate } from "../ui/format";
import { POSTAL_CODE_TRIES, POSTAL_CODE_VALID_DAYS, type ExportedLetter } from "./postal-letters.server";

// The files an export of letters gives: a CSV for a mail house (one line per letter, address and
// code) or one printable page per letter. Made once, from the codes of that export only.

const CSV_COLUMNS = [
  "destinataire",
  "adresse_ligne_1",
  "adresse_ligne_2",
  "code_postal",
  "commune",
  "code_insee",
  "code",
  "valable_jusqu_au",
] as const;

/** UTF-8 with BOM, ";" separated, every cell quoted and neutralised against formulas. */
export function lettersCsv(letters: ExportedLetter[]): string {
  return stringify(
    letters.map((l) =>
      [
        l.recipient,
        l.line1,
        l.line2 ?? "",
        l.postalCode,
        l.communeName,
        l.communeCode,
        l.code,
        formatDate(l.expiresAt),
      ].map(neutraliseFormula),
    ),
    { header: true, columns: [...CSV_COLUMNS], bom: true, delimiter: ";", quoted: true, record_delimiter: "\r\n" },
  );
}

/** One A4 page per letter: the address where a window envelope shows it, the code, how to enter it. */
export function lettersPdf(letters: ExportedLetter[], publicUrl: string, now = new Date()): Promise<Buffer> {
  const doc = new PDFDocument({
    size: "A4",
    margins: { top: 60, bottom: 60, left: 60, right: 60 },
    autoFirstPage: false,
    info: { Title: "Courriers de code — Priorités Santé", Author: "Priorités Santé", CreationDate: now },
  });
  doc.registerFont("regular", "Helvetica");
  doc.registerFont("bold", "Helvetica-Bold");
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  for (const letter of letters) {
    doc.addPage();
    const width = doc.page.width - 120;
    doc.font("bold").fontSize(12).fillColor("#000091").text("Priorités Santé", 60, 60).fillColor("#161616");
    doc.font("regular").fontSize(9).text("Consultations régionales de santé", 60, 76);
    // The window of a DL envelope (right, about 5 cm from the top).
    const address = [
      letter.recipient,
      letter.line1,
      letter.line2,
      `${letter.postalCode} ${letter.communeName.toUpperCase()}`,
    ]
      .filter((line): line is string => Boolean(line))
      .map(pdfText);
    doc.font("regular").fontSize(11).text(address.join("\n"), 310, 150, { width: 230 });
    doc.fontSize(10).text(pdfText(`Le ${formatDate(now.toISOString())}`), 60, 260, { width, align: "right" });
    doc.moveDown(2);
    doc
      .font("bold")
      .fontSize(12)
      .text(pdfText("Objet : votre code de confirmation de résidence"), 60, undefined, { width });
    doc.moveDown();
    const p = (t: string) => doc.font("regular").fontSize(11).text(pdfText(t), { width, align: "left" }).moveDown(0.6);
    p("Madame, Monsieur,");
    p(
      `Vous avez demandé sur Priorités Santé à confirmer que vous résidez à ${letter.communeName} (code INSEE ${letter.communeCode}). Voici votre code personnel :`,
    );
    doc.moveDown(0.5);
    doc
      .font("bold")
      .fontSize(26)
      .text(letter.code.replace(/(.{4})(.{4})/, "$1 $2"), { width, align: "center", characterSpacing: 3 });
    doc.moveDown(1);
    p(
      `Pour l’utiliser : connectez-vous sur ${publicUrl}, ouvrez « Mon compte », puis, dans la partie « Confirmer ma résidence par courrier », saisissez ce code et validez.`,
    );
    p(
      `Ce code est valable jusqu’au ${formatDate(letter.expiresAt)} (${POSTAL_CODE_VALID_DAYS} jours) et ne sert qu’une fois. Après ${POSTAL_CODE_TRIES} essais incorrects, il est bloqué : vous pourrez alors demander un nouveau courrier depuis « Mon compte ».`,
    );
    p(
      "Si vous n’avez rien demandé, ne faites rien : sans ce code, personne ne peut confirmer une résidence à votre adresse. Ne le communiquez à personne : nos services ne vous le demanderont jamais.",
    );
    p("L’équipe Priorités Santé");
  }
  if (letters.length === 0) {
    doc.addPage();
    doc.font("regular").fontSize(12).text("Aucun courrier en attente.");
  }
  doc.end();
  return done;
}
