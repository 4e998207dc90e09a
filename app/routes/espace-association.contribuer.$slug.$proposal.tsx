import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireRole } from "~/web/guards.server";
import { findProposalTitle, getConsultation } from "~/catalogue/catalogue.server";
import { checkPdf, getAccountAssociation, saveContribution } from "~/associations/associations.server";
import { consultationIsOpen } from "~/catalogue/consultation-window";
import { CommentError } from "~/comments/comments.server";
import { contributionSchema } from "~/comments/forms";
import { CONTRIBUTION_MAX } from "~/comments/labels";
import { readFormWithFile } from "~/web/upload.server";
import { readingForm } from "~/web/form.server";
import { db } from "~/platform/db.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { InputField, Notice } from "~/ui/fields";
import { TextareaField } from "~/ui/textarea";
import { Breadcrumb } from "~/ui/breadcrumb";
import { orNotFound, REFUSAL_STATUS } from "~/web/access.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Contribution sur « ${data.proposal.title} » — Priorités Santé` : "Contribution — Priorités Santé" },
];

async function proposalOr404(slug: string | undefined, proposalSlug: string | undefined) {
  const found = orNotFound(
    await getConsultation(db(), slug ?? ""),
    "Cette consultation n’existe pas ou n’est pas publiée.",
  );
  const proposal = orNotFound(
    await findProposalTitle(db(), found.consultation.id, proposalSlug ?? ""),
    "Cette proposition n’existe pas dans cette consultation.",
  );
  return { consultation: found.consultation, proposal };
}

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const user = requireRole(context, request, "association");
  const { consultation, proposal } = await proposalOr404(params.slug, params.proposal);
  const found = await getAccountAssociation(db(), user.id);
  if (!found) throw redirect("/espace-association");
  return {
    consultation: { slug: consultation.slug, title: consultation.title },
    proposal,
    association: { name: found.association.name, status: found.association.status },
    open: consultationIsOpen(consultation, new Date()),
  };
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const user = requireRole(context, request, "association");
  const { consultation, proposal } = await proposalOr404(params.slug, params.proposal);
  const { formData, upload } = await readingForm(readFormWithFile(request, "file"));
  const submission = parseWithZod(formData, { schema: contributionSchema });
  const fileError = upload ? checkPdf(upload) : null;
  if (submission.status !== "success" || fileError) {
    return data(
      { result: submission.reply(fileError ? { fieldErrors: { file: [fileError] } } : undefined), fileError },
      { status: 400 },
    );
  }
  try {
    const saved = await saveContribution(db(), {
      user,
      proposalId: proposal.id,
      title: submission.value.title,
      body: submission.value.body,
      publish: submission.value.intent === "publish",
      file: upload ?? undefined,
    });
    return saved.published
      ? redirect(
          `/consultations/${consultation.slug}/propositions/${proposal.slug}?publiee=${saved.id}#contribution-${saved.id}`,
          303,
        )
      : redirect("/espace-association?brouillon=1", 303);
  } catch (error) {
    if (!(error instanceof CommentError)) throw error;
    return data(
      { result: submission.reply({ formErrors: [error.message] }), fileError: null },
      { status: REFUSAL_STATUS[error.code] },
    );
  }
}

export default function Contribute() {
  const { consultation, proposal, association, open } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "contribution",
    lastResult: actionData?.result,
    constraint: getZodConstraint(contributionSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: contributionSchema }),
  });
  const verified = association.status === "verified";
  const fileErrors = actionData?.fileError ? [actionData.fileError] : undefined;
  return (
    <div className="fr-grid-row">
      <div className="fr-col-12 fr-col-md-10 fr-col-lg-8">
        <Breadcrumb
          items={[
            { to: "/espace-association", label: "Espace association" },
            { to: `/consultations/${consultation.slug}/propositions/${proposal.slug}`, label: proposal.title },
            { label: "Contribution" },
          ]}
        />
        <h1>Contribution de {association.name}</h1>
        <p>
          Sur la proposition «{" "}
          <Link to={`/consultations/${consultation.slug}/propositions/${proposal.slug}`}>{proposal.title}</Link> » (
          {consultation.title}).
        </p>
        {!open ? (
          <Notice kind="info">La consultation est close : on ne peut plus y contribuer.</Notice>
        ) : (
          <>
            {!verified ? (
              <Notice kind="info">
                Votre association n’est pas encore vérifiée : vous pouvez enregistrer un brouillon, et le publier depuis
                votre espace une fois l’association vérifiée.
              </Notice>
            ) : null}
            <div className="fr-alert fr-alert--warning fr-alert--sm fr-mb-3w">
              <p>
                Les contributions sont publiques. N’y mettez aucune donnée de santé ni aucune information permettant
                d’identifier une personne, ni dans le texte ni dans la pièce jointe.
              </p>
            </div>
            {form.errors?.length ? <Notice kind="error">{form.errors.join(" ")}</Notice> : null}
            <Form method="post" encType="multipart/form-data" {...getFormProps(form)}>
              <InputField meta={fields.title} label="Titre" hint="De 5 à 150 caractères." />
              <TextareaField
                meta={fields.body}
                label="Texte de la contribution"
                hint={`Jusqu’à ${CONTRIBUTION_MAX.toLocaleString("fr-FR")} caractères. Texte simple : retours à la ligne et liens gardés, aucune mise en forme.`}
                rows={12}
                maxLength={CONTRIBUTION_MAX}
              />
              <div className={`fr-upload-group${fileErrors ? " fr-input-group--error" : ""}`}>
                <label className="fr-label" htmlFor="contribution-file">
                  Pièce jointe (facultatif)
                  <span className="fr-hint-text" id="contribution-file-hint">
                    Un seul fichier PDF, 5 Mo au plus. Il sera proposé au téléchargement, jamais ouvert dans la page.
                  </span>
                </label>
                <input
                  className="fr-upload"
                  type="file"
                  id="contribution-file"
                  name="file"
                  accept="application/pdf,.pdf"
                  aria-describedby={`contribution-file-hint${fileErrors ? " contribution-file-error" : ""}`}
                />
                {fileErrors ? (
                  <p className="fr-error-text" id="contribution-file-error">
                    {fileErrors.join(" ")} Choisissez de nouveau le fichier.
                  </p>
                ) : null}
              </div>
              <ul className="fr-btns-group fr-btns-group--inline-md fr-mt-3w">
                {verified ? (
                  <li>
                    <button
                      className="fr-btn"
                      type="submit"
                      name="intent"
                      value="publish"
                      disabled={navigation.state === "submitting"}
                    >
                      Publier la contribution
                    </button>
                  </li>
                ) : null}
                <li>
                  <button
                    className={`fr-btn${verified ? " fr-btn--secondary" : ""}`}
                    type="submit"
                    name="intent"
                    value="draft"
                    disabled={navigation.state === "submitting"}
                  >
                    Enregistrer comme brouillon
                  </button>
                </li>
              </ul>
            </Form>
          </>
        )}
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
