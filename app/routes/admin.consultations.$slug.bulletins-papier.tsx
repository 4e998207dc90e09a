import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { importPaperBallots } from "~/ballots/paper-import.server";
import { PAPER_IMPORT_MAX_BYTES } from "~/ballots/paper-import-limits";
import { requireRole } from "~/web/guards.server";
import { findConsultationForAdmin } from "~/catalogue/catalogue.server";
import { orNotFound } from "~/web/access.server";
import { db } from "~/platform/db.server";
import { Breadcrumb } from "~/ui/breadcrumb";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { FieldErrors, Notice, withoutKey } from "~/ui/fields";
import { readFormData } from "~/web/form.server";
import { GRADE_LABELS, GRADES } from "~/tally/types";

export const meta: MetaFunction = () => [{ title: "Bulletins papier — Administration — Priorités Santé" }];

const COLUMN = {
  approval: "selections (slug|slug|…)",
  majority_judgment: "grades (slug=mention|slug=mention|…)",
  ranked: "order (slug|slug|…, la première d’abord)",
} as const;
/** Errors listed on the page; the command-line import lists them all. */
const SHOWN_ERRORS = 200;

const uploadSchema = z.object({
  file: z
    .instanceof(File, { error: "Choisissez un fichier CSV." })
    .refine((f) => f.size > 0, "Le fichier est vide.")
    .refine((f) => f.size <= PAPER_IMPORT_MAX_BYTES, "Le fichier dépasse 5 Mo."),
});

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  requireRole(context, request, "admin");
  return {
    consultation: orNotFound(await findConsultationForAdmin(db(), params.slug ?? ""), "Consultation inconnue."),
  };
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  requireRole(context, request, "admin");
  const consultation = orNotFound(await findConsultationForAdmin(db(), params.slug ?? ""), "Consultation inconnue.");
  if (Number(request.headers.get("content-length") ?? 0) > PAPER_IMPORT_MAX_BYTES + 10_000) {
    return data(refusal(undefined, ["Le fichier dépasse 5 Mo."]), { status: 400 });
  }
  const submission = parseWithZod(await readFormData(request), { schema: uploadSchema });
  if (submission.status !== "success") return data(refusal(submission.reply(), []), { status: 400 });
  const imported = await importPaperBallots(db(), consultation.slug, await submission.value.file.text());
  if (!imported.ok) {
    const errors = imported.errors.map((e) => (e.line ? `Ligne ${e.line} : ${e.message}` : e.message));
    return data(refusal(submission.reply(), errors), { status: 400 });
  }
  return {
    result: submission.reply({ resetForm: true }),
    errors: [] as string[],
    imported: imported.imported,
    blank: imported.blank,
  };
}

/** A refused import: the form's own errors (for its fields) and the file's, line by line. */
function refusal(result: SubmissionResult<string[]> | undefined, errors: string[]) {
  return { result, errors, imported: 0, blank: 0 };
}

export default function PaperBallots() {
  const { consultation } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "paper",
    lastResult: result?.result,
    constraint: getZodConstraint(uploadSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: uploadSchema }),
  });
  return (
    <>
      <Breadcrumb
        items={[
          { to: "/admin", label: "Administration" },
          { to: `/admin/consultations/${consultation.slug}`, label: consultation.title },
          { label: "Bulletins papier" },
        ]}
      />
      <h1>Bulletins papier</h1>
      <p>
        Consultation : <Link to={`/consultations/${consultation.slug}`}>{consultation.title}</Link>
      </p>
      <p>
        Importez les bulletins recueillis sur papier ou avec l’aide d’un médiateur, sous forme de fichier CSV (UTF-8, 5
        Mo au plus), une ligne par bulletin, avec les colonnes <code>arrondissement</code> (code, ex. 143) et{" "}
        <code>{COLUMN[consultation.method]}</code>. Le séparateur est celui de la ligne d’en-tête (virgule ou
        point-virgule) ; une valeur qui le contient s’écrit entre guillemets.
        {consultation.method === "majority_judgment" ? (
          <>
            {" "}
            Mentions : le code (<code>{GRADES.join(", ")}</code>) ou le libellé (
            {GRADES.map((g) => `« ${GRADE_LABELS[g]} »`).join(", ")}).
          </>
        ) : null}{" "}
        Un bulletin blanc (aucune proposition) n’est pas compté, comme en ligne. Tout le fichier est vérifié avant
        l’enregistrement : s’il contient une erreur, aucun bulletin n’est importé et chaque ligne fautive est indiquée.
      </p>
      {result && result.imported + result.blank > 0 ? (
        <Notice kind="success" title="Import réussi">
          {result.imported} bulletin{result.imported > 1 ? "s" : ""} papier importé{result.imported > 1 ? "s" : ""} :
          ils comptent comme les votes en ligne et sont signalés comme papier dans les résultats.
          {result.blank ? (
            <>
              {" "}
              {result.blank} bulletin{result.blank > 1 ? "s" : ""} blanc{result.blank > 1 ? "s" : ""} non compté
              {result.blank > 1 ? "s" : ""} : un bulletin sans proposition n’est pas un vote.
            </>
          ) : null}
        </Notice>
      ) : null}
      {result?.errors.length ? (
        <div className="fr-alert fr-alert--error fr-mb-3w" role="alert">
          <h2 className="fr-alert__title">
            Aucun bulletin importé : {result.errors.length} erreur{result.errors.length > 1 ? "s" : ""}
          </h2>
          {result.errors.length > SHOWN_ERRORS ? (
            <p>
              Les {SHOWN_ERRORS} premières sont listées ; la commande <code>npm run ballots:import</code> les liste
              toutes.
            </p>
          ) : null}
          <ul>
            {result.errors.slice(0, SHOWN_ERRORS).map((e, i) => (
              <li key={i}>{e}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <Form method="post" encType="multipart/form-data" {...getFormProps(form)}>
        <div className={`fr-upload-group${fields.file.errors ? " fr-upload-group--error" : ""}`}>
          <label className="fr-label" htmlFor={fields.file.id}>
            Fichier CSV des bulletins
            <span className="fr-hint-text">Taille maximale : 5 Mo. Format : .csv</span>
          </label>
          <input
            {...withoutKey(getInputProps(fields.file, { type: "file" }))}
            className="fr-upload"
            accept=".csv,text/csv"
            required
          />
          <FieldErrors id={fields.file.errorId} errors={fields.file.errors} />
        </div>
        <button className="fr-btn fr-mt-2w" type="submit" disabled={navigation.state === "submitting"}>
          Importer les bulletins
        </button>
      </Form>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
