import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireRole } from "~/web/guards.server";
import { decideAssociation, listAssociationsForAdmin } from "~/associations/associations.server";
import { CommentError } from "~/comments/comments.server";
import { associationDecisionSchema } from "~/comments/forms";
import { formatOrganisationId } from "~/comments/identifiers";
import { PlainText } from "~/comments/plain-text";
import { db } from "~/platform/db.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { Notice } from "~/ui/fields";
import { TextareaField } from "~/ui/textarea";
import { Breadcrumb } from "~/ui/breadcrumb";
import { REFUSAL_STATUS } from "~/web/access.server";
import { readFormData } from "~/web/form.server";

export const meta: MetaFunction = () => [{ title: "Associations — Administration — Priorités Santé" }];

const STATUS = { pending: "À vérifier", verified: "Vérifiée", refused: "Refusée" } as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireRole(context, request, "admin");
  const rows = await listAssociationsForAdmin(db());
  return {
    associations: rows.map((a) => ({
      id: a.id,
      slug: a.slug,
      name: a.name,
      status: a.status,
      identifier: formatOrganisationId({ kind: a.identifier_kind, value: a.identifier }),
      identifierRaw: a.identifier,
      agrement: a.agrement,
      territories: a.territories.map((t) => t.label),
      contact: [a.contact_name, a.contact_email, a.contact_phone].filter(Boolean).join(", "),
      accountEmail: a.account_email,
      accountVerified: a.email_verified_at !== null,
      refusalReason: a.refusal_reason,
      updatedLabel: a.updatedLabel,
    })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = requireRole(context, request, "admin");
  const formData = await readFormData(request);
  const submission = parseWithZod(formData, { schema: associationDecisionSchema });
  const target = String(formData.get("associationId") ?? "");
  const form = `${formData.get("intent") === "refuse" ? "refuse" : "verify"}-${target}`;
  if (submission.status !== "success") {
    const messages = Object.values(submission.error ?? {}).flatMap((m) => m ?? []);
    return data(
      { target, form, result: submission.reply(), message: messages.join(" ") || "Demande incomplète." },
      { status: 400 },
    );
  }
  const v = submission.value;
  try {
    await decideAssociation(db(), {
      associationId: v.associationId,
      admin: { id: admin.id, email: admin.email },
      decision: v.intent,
      ...(v.intent === "refuse" ? { reason: v.reason } : {}),
    });
  } catch (error) {
    if (!(error instanceof CommentError)) throw error;
    return data(
      { target, form, result: submission.reply({ formErrors: [error.message] }), message: error.message },
      { status: REFUSAL_STATUS[error.code] },
    );
  }
  return redirect(`/admin/associations?fait=${v.intent}`, 303);
}

export default function AdminAssociations() {
  const { associations } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const pending = associations.filter((a) => a.status === "pending");
  const others = associations.filter((a) => a.status !== "pending");
  return (
    <>
      <Breadcrumb items={[{ to: "/admin", label: "Administration" }, { label: "Associations" }]} />
      <h1>Vérification des associations</h1>
      {params.get("fait") === "verify" ? (
        <Notice kind="success">Association vérifiée ; elle en a été informée par e-mail.</Notice>
      ) : null}
      {params.get("fait") === "refuse" ? (
        <Notice kind="success">Demande refusée ; le motif a été envoyé par e-mail.</Notice>
      ) : null}
      {actionData?.message && !actionData.target ? <Notice kind="error">{actionData.message}</Notice> : null}
      <h2>À vérifier ({pending.length})</h2>
      {pending.length === 0 ? <p>Aucune demande en attente.</p> : null}
      <ul className="ps-plain-list">
        {pending.map((a) => (
          <li key={a.id} className="fr-card fr-p-3w fr-mb-3w" data-testid="pending-association">
            <h3 className="fr-h5 fr-mb-1w ps-text">{a.name}</h3>
            <ul className="fr-text--sm">
              <li>
                {a.identifier} —{" "}
                <a
                  href={`https://annuaire-entreprises.data.gouv.fr/rechercher?terme=${encodeURIComponent(a.identifierRaw)}`}
                  rel="noopener noreferrer"
                  target="_blank"
                  title={`Vérifier ${a.identifier} dans l’Annuaire des entreprises (nouvelle fenêtre)`}
                >
                  vérifier dans l’Annuaire des entreprises
                </a>
              </li>
              <li>Agrément : {a.agrement ?? "non indiqué"}</li>
              <li>Territoires : {a.territories.join(", ")}</li>
              <li>Contact : {a.contact}</li>
              <li>
                Compte : {a.accountEmail} ({a.accountVerified ? "adresse confirmée" : "adresse non confirmée"}) ·
                demande du {a.updatedLabel}
              </li>
            </ul>
            <Decision id={a.id} />
          </li>
        ))}
      </ul>
      <h2>Déjà traitées ({others.length})</h2>
      {others.length === 0 ? <p>Aucune.</p> : null}
      <ul>
        {others.map((a) => (
          <li key={a.id} data-testid="decided-association">
            {a.status === "verified" ? (
              <Link to={`/associations/${a.slug}`}>{a.name}</Link>
            ) : (
              <span className="ps-text">{a.name}</span>
            )}{" "}
            — {STATUS[a.status]} ({a.identifier}, {a.updatedLabel})
            {a.status === "refused" && a.refusalReason ? (
              <PlainText text={`Motif : ${a.refusalReason}`} className="fr-text--sm" />
            ) : null}
          </li>
        ))}
      </ul>
    </>
  );
}

/** Verify or refuse one pending association: two forms, one schema, the refusal's reason kept on error. */
function Decision({ id }: { id: string }) {
  const actionData = useActionData<typeof action>();
  const mine = actionData?.target === id ? actionData : undefined;
  const options = (form: string) => ({
    id: `${form}-${id}`,
    lastResult: mine?.form === `${form}-${id}` ? mine.result : undefined,
    constraint: getZodConstraint(associationDecisionSchema),
    shouldValidate: "onBlur" as const,
    onValidate: ({ formData }: { formData: FormData }) => parseWithZod(formData, { schema: associationDecisionSchema }),
  });
  const [verify] = useForm(options("verify"));
  const [refuse, fields] = useForm(options("refuse"));
  return (
    <>
      {mine ? <Notice kind="error">{mine.message}</Notice> : null}
      <div className="ps-comment__actions">
        <Form method="post" {...getFormProps(verify)}>
          <input type="hidden" name="associationId" value={id} />
          <button className="fr-btn fr-btn--sm" type="submit" name="intent" value="verify">
            Vérifier l’association
          </button>
        </Form>
        <details className="ps-disclosure" open={mine?.form === `refuse-${id}` || undefined}>
          <summary className="fr-btn fr-btn--sm fr-btn--secondary">Refuser…</summary>
          <div className="ps-disclosure__body">
            <Form method="post" {...getFormProps(refuse)}>
              <input type="hidden" name="associationId" value={id} />
              <TextareaField
                meta={fields.reason}
                label="Motif du refus"
                hint="Envoyé à l’association par e-mail ; elle pourra corriger sa demande."
                rows={3}
                maxLength={1000}
              />
              <button className="fr-btn fr-btn--sm fr-btn--secondary" type="submit" name="intent" value="refuse">
                Refuser la demande
              </button>
            </Form>
          </div>
        </details>
      </div>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
