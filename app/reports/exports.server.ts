import { createHash, randomUUID } from "node:crypto";
import { stringify } from "csv-stringify/sync";
import ExcelJS from "exceljs";
import type { Kysely } from "kysely";
import PDFDocument from "pdfkit";
import type { Database, ExportFormat } from "../../db/schema";
import { apiRankingRow } from "../ballots/results-api.server";
import { METHOD_LABELS, STATUS_LABELS } from "../catalogue/themes";
import { neutraliseFormula } from "../comments/cts-export.server";
import { formatDate, formatDateTime } from "../ui/format";
import type { Weighting } from "../tally";
import type { CtsReport, RankingRow } from "./cts-report.server";
import { figureColumns, figureValues, formatPercent } from "./figures";

export const EXPORT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  json: "application/json; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  pdf: "application/pdf",
};

const WEIGHTING_TITLES: Record<Weighting, string> = {
  raw: "Classement brut (un bulletin = une voix)",
  population: "Classement pondéré par la population des arrondissements",
};

export function exportFilename(report: CtsReport, format: ExportFormat): string {
  const day = report.generatedAt.slice(0, 10);
  return `rapport-cts-${report.territory.code}-${report.consultation.slug}-${day}-v${report.tallyVersion}.${format}`;
}

/** The caveats every export carries, in the page's words. */
const LEVELS_TITLE = "Classements par niveau de garantie";

export function caveats(report: CtsReport): string[] {
  return [
    "Les votants sont des habitants inscrits et volontaires : ce n’est pas un échantillon représentatif de la population.",
    `Les intervalles de rang viennent d’un bootstrap (200 tirages avec remise des bulletins du territoire, 5e–95e centile, graine fixe : le calcul est reproductible). Quand les intervalles de deux propositions voisines se chevauchent, leur ordre n’est pas établi.`,
    `Tout groupe de moins de ${report.threshold} bulletins affiche « ${report.smallGroupLabel} » au lieu de chiffres ; un territoire voisin est masqué aussi (« secret statistique ») quand ses chiffres permettraient de retrouver ceux d’un petit groupe par soustraction.`,
    "Le classement pondéré donne à chaque arrondissement le poids de sa population (populations municipales INSEE) ; un arrondissement sans bulletin ne pèse rien ; les arrondissements masqués d’un même territoire pèsent ensemble, du total de leurs populations.",
    report.consultation.status === "open"
      ? `Le vote est encore ouvert : ces chiffres changeront. Ils avancent par paliers : un arrondissement n’est mis à jour qu’après au moins ${report.threshold} nouveaux bulletins, pour qu’aucun bulletin ne puisse être isolé.`
      : "Le vote est clos : les bulletins ne sont plus liés à leurs auteurs.",
  ];
}

function header(report: CtsReport): [string, string][] {
  return [
    ["Rapport du conseil territorial de santé", report.territory.name],
    ["Consultation", report.consultation.title],
    ["Région", report.consultation.regionName],
    ["Phase", STATUS_LABELS[report.consultation.status]],
    ["Méthode", METHOD_LABELS[report.consultation.method]],
    ["Généré le", formatDateTime(report.generatedAt)],
    ["Version du décompte", String(report.tallyVersion)],
    [
      "Intervalles de rang",
      report.intervals
        ? `version ${report.intervals.version} du décompte, calculés le ${formatDateTime(report.intervals.computedAt)}`
        : "—",
    ],
  ];
}

function participationTable(report: CtsReport) {
  const head = [
    "Code",
    "Arrondissement",
    "Population",
    "Habitants inscrits vérifiés",
    "Bulletins en ligne",
    "Bulletins papier",
    "Bulletins",
    "Participation (%)",
  ];
  const line = (l: CtsReport["participation"]["total"]): Cell[] => [
    l.code,
    l.name,
    l.population,
    l.verifiedResidents,
    l.online ?? l.withheld ?? "",
    l.paper ?? l.withheld ?? "",
    l.ballots ?? l.withheld ?? "",
    l.rate === null ? "" : Math.round(l.rate * 100_000) / 1000,
  ];
  return { head, rows: [...report.participation.lines.map(line), line(report.participation.total)] };
}

function rankingTable(report: CtsReport, weighting: Weighting) {
  const head = [
    "Rang",
    "Intervalle bas",
    "Intervalle haut",
    "Proposition",
    "Statut",
    ...figureColumns(report.consultation.method, weighting === "population"),
    ...(report.answers ? ["Réponse du CTS", "Justification du CTS"] : []),
  ];
  const rows = report.rankings[weighting].map((r) => [
    r.rank ?? "",
    r.interval?.[0] ?? "",
    r.interval?.[1] ?? "",
    r.title,
    r.statusLabel,
    ...figureValues(report.consultation.method, r.row),
    ...(report.answers ? answerCells(report.answers[r.id]) : []),
  ]);
  return { head, rows };
}

/**
 * The rankings by assurance level side by side, raw: one row per proposal in the order of all
 * ballots, a rank column per group (withheld groups say why in their heading).
 */
function levelsTable(report: CtsReport) {
  const groups = report.levels.groups;
  const head = [
    "Proposition",
    ...groups.map((g) => `${g.label} (${g.ballots === null ? (g.withheld ?? "") : `${g.ballots} bulletins`})`),
  ];
  const rankOf = groups.map((g) => new Map(g.rankings.raw.map((r) => [r.slug, r.rank])));
  const rows = (groups[0]?.rankings.raw ?? []).map((r) => [r.title, ...rankOf.map((m) => m.get(r.slug) ?? "")]);
  return { head, rows };
}

/** The CTS's answer to a proposal, as two cells: status and justification ("" when none). */
function answerCells(answer: NonNullable<CtsReport["answers"]>[string] | undefined): string[] {
  return answer ? [answer.statusLabel, answer.justification] : ["", ""];
}

function breakdownTable(report: CtsReport) {
  const head = ["Proposition", ...report.breakdown.columns.map((c) => `${c.name} (${c.code}) — rang`)];
  const rows = report.breakdown.rows.map((row) => [
    row.title,
    ...row.cells.map((c, i) => (c === null ? (report.breakdown.columns[i]!.label ?? "") : (c.rank ?? c.figure))),
  ]);
  return { head, rows };
}

type Cell = string | number;

/**
 * CSV lines for a French spreadsheet: ";" separated; text cells quoted and neutralised against
 * formulas (OWASP); numbers unquoted with a decimal comma, so they stay numbers.
 */
export function csvLines(rows: Cell[][]): string {
  return stringify(
    rows.map((r) => r.map((c) => (typeof c === "string" ? neutraliseFormula(c) : c))),
    {
      delimiter: ";",
      quoted_string: true,
      record_delimiter: "\r\n",
      cast: { number: (v) => ({ value: String(v).replace(".", ","), quoted: false }) },
    },
  );
}

/** The report as CSV, section after section, beginning with a BOM so spreadsheets read UTF-8. */
export function* reportCsv(report: CtsReport): Generator<string> {
  const write = csvLines;
  yield "\uFEFF";
  yield write(header(report));
  const section = function* (title: string, table: { head: string[]; rows: Cell[][] }) {
    yield write([[], [title], table.head]);
    for (let i = 0; i < table.rows.length; i += 200) yield write(table.rows.slice(i, i + 200));
  };
  yield* section("Participation", participationTable(report));
  if (report.state !== "ranked") {
    yield write([
      [],
      [
        report.state === "empty"
          ? "Aucun bulletin : pas de classement."
          : `Classement non publié : ${report.smallGroupLabel}.`,
      ],
    ]);
  } else {
    yield write([[], [report.explanations.raw]]);
    yield* section(WEIGHTING_TITLES.raw, rankingTable(report, "raw"));
    yield write([[], [report.explanations.population]]);
    yield* section(WEIGHTING_TITLES.population, rankingTable(report, "population"));
    yield* section("Ventilation par arrondissement (classement brut)", breakdownTable(report));
    if (report.breakdown.allSmall)
      yield write([[`Tous les arrondissements ont ${report.smallGroupLabel} : aucune ventilation n’est possible.`]]);
    yield write([[], [LEVELS_TITLE], [report.levels.unavailable ?? report.levels.sentence]]);
    if (!report.levels.unavailable) yield* section("Rangs (classement brut) par niveau", levelsTable(report));
  }
  yield write([[], ["Méthode et limites"], ...caveats(report).map((c) => [c])]);
}

/**
 * A response body written piece by piece as the client reads, hashed on the way; `done` gets the
 * SHA-256 and size once the last piece is out (to record the export).
 */
export function hashedStream(
  parts: Iterator<string> | AsyncIterator<string>,
  done: (sha256: string, bytes: number) => Promise<void>,
) {
  const hash = createHash("sha256");
  let bytes = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await parts.next();
      if (next.done) {
        await done(hash.digest("hex"), bytes);
        controller.close();
        return;
      }
      const chunk = Buffer.from(next.value, "utf8");
      hash.update(chunk);
      bytes += chunk.length;
      controller.enqueue(chunk);
    },
  });
}

/** The report in the open-data API's shape (rankings rows exactly as /api/v1/…/results writes them). */
export function reportJson(report: CtsReport) {
  const ranking = (rows: RankingRow[]) => rows.map((r) => apiRankingRow(r.row, r, r.interval));
  return {
    consultation: report.consultation.slug,
    title: report.consultation.title,
    status: report.consultation.status,
    method: report.consultation.method,
    territory: { kind: "cts", code: report.territory.code, name: report.territory.name },
    generatedAt: report.generatedAt,
    tallyVersion: report.tallyVersion,
    ballots: report.ballots,
    smallGroup: report.state === "small" ? report.smallGroupLabel : null,
    smallGroupThreshold: report.threshold,
    explanation: report.explanations,
    participation: {
      arrondissements: report.participation.lines,
      total: report.participation.total,
      daily: report.participation.timeline,
    },
    rankings: { raw: ranking(report.rankings.raw), population: ranking(report.rankings.population) },
    breakdown: {
      arrondissements: report.breakdown.columns.map((c) => ({
        code: c.code,
        name: c.name,
        ballots: c.ballots,
        smallGroup: c.small ? c.label : null,
      })),
      proposals: report.breakdown.rows.map((row) => ({
        title: row.title,
        cells: row.cells.map((c, i) => ({
          arrondissement: report.breakdown.columns[i]!.code,
          ...(c === null ? { smallGroup: report.breakdown.columns[i]!.label } : { rank: c.rank, result: c.figure }),
        })),
      })),
    },
    disagreements: report.disagreements,
    byLevel: {
      unavailable: report.levels.unavailable,
      verified: {
        ballots: report.levels.verifiedBallots,
        sentence: report.levels.sentence,
        ...(report.levels.agreement
          ? {
              top: report.levels.agreement.top.length,
              kept: report.levels.agreement.kept,
              correlation: report.levels.agreement.correlation,
              correlationInterval: report.levels.agreement.interval,
            }
          : {}),
      },
      groups: report.levels.groups.map((g) => ({
        level: g.group,
        label: g.label,
        ballots: g.ballots,
        smallGroup: g.withheld,
        rankings: {
          raw: g.rankings.raw.map((r) => apiRankingRow(r.row, r, null)),
          population: g.rankings.population.map((r) => apiRankingRow(r.row, r, null)),
        },
      })),
    },
    ...(report.answers
      ? {
          answers: report.rankings.raw
            .filter((r) => report.answers![r.id])
            .map((r) => ({ proposal: r.slug, title: r.title, ...report.answers![r.id]! })),
        }
      : {}),
    caveats: caveats(report),
  };
}

export async function reportXlsx(report: CtsReport): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = "Priorités Santé";
  book.created = new Date(report.generatedAt);
  const sheet = (name: string, table: { head: string[]; rows: Cell[][] }) => {
    const ws = book.addWorksheet(name);
    ws.addRow(table.head).font = { bold: true };
    for (const row of table.rows) ws.addRow(row);
    ws.columns.forEach((c) => (c.width = 18));
  };
  sheet("Rapport", { head: ["", ""], rows: [...header(report), [], ...caveats(report).map((c) => [c])] });
  sheet("Participation", participationTable(report));
  if (report.state === "ranked") {
    sheet("Classement brut", rankingTable(report, "raw"));
    sheet("Classement pondéré", rankingTable(report, "population"));
    sheet("Ventilation", breakdownTable(report));
    if (!report.levels.unavailable) sheet("Par niveau de garantie", levelsTable(report));
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

// The PDF's standard fonts (Helvetica) speak WinAnsi: Latin-1 plus these. The DSFR's Marianne
// files are WOFF/WOFF2, which pdfkit's font engine could not subset into visible glyphs.
const WIN_ANSI_EXTRA = new Set("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ");
const REPLACEMENTS: Record<string, string> = {
  "\u202f": "\u00a0",
  "\u2009": " ",
  "\u2212": "-",
  "≈": "~",
  "≤": "<=",
  "≥": ">=",
  "→": "->",
};

/** Text the standard PDF fonts can draw: other characters replaced by a close one, or "?". */
export function pdfText(text: string): string {
  let out = "";
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(ch) || ch === "\n")
      out += ch;
    else if (REPLACEMENTS[ch]) out += REPLACEMENTS[ch];
    else {
      const base = ch.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
      out += [...base].every((c) => c.codePointAt(0)! < 0x7f) && base ? base : "?";
    }
  }
  return out;
}

/** The printable report for the CTS meeting: cover, participation, both rankings, breakdown, method. */
export function reportPdf(report: CtsReport): Promise<Buffer> {
  const doc = new PDFDocument({
    size: "A4",
    margins: { top: 50, bottom: 60, left: 45, right: 45 },
    bufferPages: true,
    info: {
      Title: `Rapport du CTS ${report.territory.name} — ${report.consultation.title}`,
      Author: "Priorités Santé",
      CreationDate: new Date(report.generatedAt),
    },
  });
  doc.registerFont("regular", "Helvetica");
  doc.registerFont("bold", "Helvetica-Bold");
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  const width = doc.page.width - 90;
  const h1 = (t: string) =>
    doc.font("bold").fontSize(16).fillColor("#000091").text(pdfText(t)).moveDown(0.5).fillColor("#161616");
  const p = (t: string) => doc.font("regular").fontSize(10).text(pdfText(t), { width }).moveDown(0.4);

  // Cover.
  doc.font("bold").fontSize(11).fillColor("#000091").text("Priorités Santé", { width }).moveDown(4);
  doc
    .font("bold")
    .fontSize(24)
    .fillColor("#161616")
    .text(pdfText(`Rapport du conseil territorial de santé ${report.territory.name}`), { width })
    .moveDown();
  doc.font("regular").fontSize(14).text(pdfText(report.consultation.title), { width }).moveDown(2);
  for (const [k, v] of header(report).slice(2))
    doc.fontSize(11).font("bold").text(`${k} : `, { continued: true }).font("regular").text(pdfText(v));
  doc.moveDown();
  p(
    report.ballots === null
      ? `Bulletins dans le territoire : ${report.smallGroupLabel}.`
      : `${report.ballots.toLocaleString("fr-FR")} bulletins dans le territoire.`,
  );

  doc.addPage();
  h1("Participation");
  const part = participationTable(report);
  table(
    doc,
    part.head.slice(1).map((h) => h.replace(" (%)", "")),
    [...report.participation.lines, report.participation.total].map((l) => [
      l.code ? `${l.name} (${l.code})` : l.name,
      ...[l.population, l.verifiedResidents, l.online, l.paper, l.ballots].map((n) =>
        n === null ? (l.withheld ?? "") : n.toLocaleString("fr-FR"),
      ),
      l.rate === null ? "-" : formatPercent(l.rate),
    ]),
    [120, 70, 70, 55, 55, 55, 60],
  );
  if (report.participation.timeline.length) {
    const last = report.participation.timeline[report.participation.timeline.length - 1]!;
    p(
      `Bulletins déposés du ${formatDate(report.participation.timeline[0]!.day)} au ${formatDate(last.day)} : ${last.total.toLocaleString("fr-FR")} à la fin de la période.`,
    );
  }

  if (report.state !== "ranked") {
    h1("Classement");
    p(
      report.state === "empty"
        ? "Aucun bulletin n’a été déposé dans ce territoire : il n’y a pas de classement."
        : `Classement non publié : ${report.smallGroupLabel}.`,
    );
  } else {
    for (const w of ["raw", "population"] as const) {
      doc.addPage();
      h1(WEIGHTING_TITLES[w]);
      p(report.explanations[w]);
      table(
        doc,
        ["Rang", "Intervalle", "Proposition", "Résultat"],
        report.rankings[w].map((r) => [
          r.rank === null ? r.statusLabel : `${r.rank}${r.indistinct ? " ≈" : ""}`,
          r.interval ? `${r.interval[0]}–${r.interval[1]}` : "",
          r.title,
          r.figure,
        ]),
        [45, 60, 285, 115],
      );
      p("≈ : rang non distinguable de celui de la ligne précédente (leurs intervalles se chevauchent).");
    }
    doc.addPage();
    h1("Ventilation par arrondissement");
    if (report.breakdown.allSmall)
      p(`Tous les arrondissements ont ${report.smallGroupLabel} : aucune ventilation n’est possible.`);
    else {
      p("Rang de chaque proposition dans chaque arrondissement (classement brut).");
      // At most four arrondissements per table, so cells stay legible on a portrait page.
      for (let i = 0; i < report.breakdown.columns.length; i += 4) {
        const cols = report.breakdown.columns.slice(i, i + 4);
        table(
          doc,
          ["Proposition", ...cols.map((c) => c.name)],
          report.breakdown.rows.map((row) => [
            row.title,
            ...row.cells
              .slice(i, i + 4)
              .map((c, j) => (c === null ? (cols[j]!.label ?? "") : String(c.rank ?? c.figure))),
          ]),
          [505 - cols.length * 75, ...cols.map(() => 75)],
        );
        doc.moveDown();
      }
    }
    if (report.disagreements.length) {
      h1("Propositions sur lesquelles les arrondissements divergent le plus");
      for (const d of report.disagreements)
        p(`${d.title} : ${d.best.rank}e à ${d.best.arrondissement}, ${d.worst.rank}e à ${d.worst.arrondissement}.`);
    }
  }
  if (report.state === "ranked") {
    doc.addPage();
    h1(LEVELS_TITLE);
    p(report.levels.unavailable ?? report.levels.sentence);
    if (!report.levels.unavailable) {
      for (const g of report.levels.groups)
        p(`${g.label} : ${g.ballots === null ? (g.withheld ?? "") : `${g.ballots} bulletins`}.`);
      const first = levelsTable(report);
      table(
        doc,
        ["Proposition", ...report.levels.groups.map((g) => g.label)],
        first.rows.slice(0, 10).map((row) => row.map((c) => (c === "" ? "-" : String(c)))),
        [165, ...report.levels.groups.map(() => Math.floor(340 / report.levels.groups.length))],
      );
    }
  }
  const answered = report.answers ? report.rankings.raw.filter((r) => report.answers![r.id]) : [];
  if (answered.length) {
    doc.addPage();
    h1("Réponses du CTS");
    table(
      doc,
      ["Rang", "Proposition", "Réponse", "Justification"],
      answered.map((r) => {
        const a = report.answers![r.id]!;
        // A cell never longer than a page: the full text is on the CTS's answers page.
        const text =
          a.justification.length > 700 ? `${a.justification.slice(0, 700)}… (suite en ligne)` : a.justification;
        return [r.rank === null ? "-" : String(r.rank), r.title, a.statusLabel, text];
      }),
      [40, 170, 75, 220],
    );
  }
  doc.addPage();
  h1("Méthode et limites");
  for (const c of caveats(report)) p(`• ${c}`);
  p(`Méthode de vote : ${METHOD_LABELS[report.consultation.method]}.`);

  // Every page states when and from which tally version it was made.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font("regular")
      .fontSize(8)
      .fillColor("#666666")
      .text(
        pdfText(
          `CTS ${report.territory.name} — ${report.consultation.title} — généré le ${formatDateTime(report.generatedAt)}, version du décompte ${report.tallyVersion} — page ${i + 1}/${range.count}`,
        ),
        45,
        doc.page.height - 40,
        { width, align: "center", lineBreak: false },
      );
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}

/** A plain table that breaks across pages, repeating its header. */
function table(doc: PDFKit.PDFDocument, head: string[], rows: string[][], widths: number[]) {
  head = head.map(pdfText);
  rows = rows.map((r) => r.map(pdfText));
  const x0 = 45;
  const pad = 3;
  const drawRow = (cells: string[], bold: boolean) => {
    doc.font(bold ? "bold" : "regular").fontSize(8.5);
    const height = Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: widths[i]! - 2 * pad }))) + 2 * pad;
    if (doc.y + height > doc.page.height - doc.page.margins.bottom) {
      doc.addPage();
      if (!bold) drawRow(head, true);
    }
    const y = doc.y;
    if (bold)
      doc
        .rect(
          x0,
          y,
          widths.reduce((a, b) => a + b, 0),
          height,
        )
        .fill("#eeeeee");
    let x = x0;
    cells.forEach((c, i) => {
      doc.fillColor("#161616").text(c, x + pad, y + pad, { width: widths[i]! - 2 * pad });
      x += widths[i]!;
    });
    doc
      .moveTo(x0, y + height)
      .lineTo(x, y + height)
      .strokeColor("#cccccc")
      .stroke();
    doc.x = x0;
    doc.y = y + height;
  };
  drawRow(head, true);
  for (const r of rows) drawRow(r, false);
  doc.moveDown(0.5);
}

/** Records an export served, with its fingerprint, so a printed or shared copy can be checked later. */
export async function recordExport(
  db: Kysely<Database>,
  input: {
    consultationId: string;
    territory: string;
    format: ExportFormat;
    tallyVersion: number;
    generatedAt: string;
    sha256: string;
    bytes: number;
  },
) {
  await db
    .insertInto("report_exports")
    .values({
      id: randomUUID(),
      consultation_id: input.consultationId,
      territory: input.territory,
      format: input.format,
      tally_version: input.tallyVersion,
      generated_at: input.generatedAt,
      sha256: input.sha256,
      bytes: input.bytes,
    })
    .execute();
}

export async function recentExports(db: Kysely<Database>, consultationId: string, territory: string, limit = 8) {
  return db
    .selectFrom("report_exports")
    .select(["format", "tally_version", "generated_at", "sha256", "bytes"])
    .where("consultation_id", "=", consultationId)
    .where("territory", "=", territory)
    .orderBy("generated_at", "desc")
    .orderBy("id")
    .limit(limit)
    .execute();
}

export function sha256(data: Buffer | string): string {
  return createHash("sha256").update(data).digest("hex");
}
