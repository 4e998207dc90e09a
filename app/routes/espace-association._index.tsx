import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { requireRole } from "~/web/guards.server";
import {
  applyAsAssociation,
  deleteContribution,
  getAccountAssociation,
  listOwnContributions,
  publishDraft,
  territoryChoices,
} from "~/associations/associations.server";
import { CommentError } from "~/comments/comments.server";
import { associationApplicationSchema } from "~/comments/forms";
import { formatOrganisationId } from "~/comments/identifiers";
import { REASON_LABELS } from "~/comments/labels";
import { PlainText } from "~/comments/plain-text";
import { db } from "~/platform/db.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { FieldErrors, InputField, Notice } from "~/ui/fields";
import { REFUSAL_STATUS } from "~/web/access.server";
import { readFormData } from "~/web/form.server";

export const meta: MetaFunction = () => [{ title: "Espace association — Priorités Santé" }];

const STATUS = {
  pending: { label: "En attente de vérification", badge: "fr-badge--new" },
  verified: { label: "Association vérifiée", badge: "fr-badge--success" },
  refused: { label: "Demande refusée", badge: "fr-badge--error" },
} as const;

/** Publishing a draft or withdrawing a contribution: a button and the contribution's id. */
const contributionSchema = z.object({
  intent: z.enum(["publish", "withdraw"], { error: "Action inconnue." }),
  contributionId: z.string({ error: "Contribution inconnue." }).min(1, "Contribution inconnue.").max(64),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireRole(context, request, "association");
  const found = await getAccountAssociation(db(), user.id);
  const [regions, contributions] = await Promise.all([
    found?.association.status === "verified" ? Promise.resolve([]) : territoryChoices(db()),
    found ? listOwnContributions(db(), found.association.id) : Promise.resolve([]),
  ]);
  return {
    email: user.email,
    emailVerified: user.emailVerified,
    association: found
      ? {
          name: found.association.name,
          slug: found.association.slug,
          status: found.association.status,
          identifier: formatOrganisationId({
            kind: found.association.identifier_kind,
            value: found.association.identifier,
          }),
          identifierRaw: found.association.identifier,
          agrement: found.association.agrement,
          contactName: found.association.contact_name,
          contactEmail: found.association.contact_email,
          contactPhone: found.association.contact_phone,
          refusalReason: found.association.refusal_reason,
          territories: found.territories,
        }
      : null,
    regions,
    contributions,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireRole(context, request, "association");
  const formData = await readFormData(request);
  if (formData.get("intent") === "apply") {
    const submission = parseWithZod(formData, { schema: associationApplicationSchema });
    if (submission.status !== "success")
      return data({ form: "apply", result: submission.reply(), message: null }, { status: 400 });
    try {
      await applyAsAssociation(db(), { user, application: submission.value });
    } catch (error) {
      if (!(error instanceof CommentError)) throw error;
      return data(
        { form: "apply", result: submission.reply({ formErrors: [error.message] }), message: null },
        { status: REFUSAL_STATUS[error.code] },
      );
    }
    return redirect("/espace-association?demande=1", 303);
  }
  const submission = parseWithZod(formData, { schema: contributionSchema });
  const form = `contribution-${String(formData.get("contributionId") ?? "")}`;
  if (submission.status !== "success") {
    const messages = Object.values(submission.error ?? {}).flatMap((m) => m ?? []);
    return data({ form, result: submission.reply(), message: messages.join(" ") }, { status: 400 });
  }
  const { intent, contributionId } = submission.value;
  try {
    if (intent === "publish") await publishDraft(db(), { user, contributionId });
    else await deleteContribution(db(), { user, contributionId });
  } catch (error) {
    if (!(error instanceof CommentError)) throw error;
    return data(
      { form, result: submission.reply({ formErrors: [error.message] }), message: error.message },
      { status: REFUSAL_STATUS[error.code] },
    );
  }
  return redirect(`/espace-association?${intent === "publish" ? "publiee" : "retiree"}=1`, 303);
}

export default function AssociationSpace() {
  const { email, emailVerified, association, regions, contributions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  return (
    <>
      <h1>Espace association</h1>
      {params.get("bienvenue") ? (
        <Notice kind="success" title="Compte créé">
          Un e-mail de confirmation a été envoyé à {email}. Ouvrez le lien qu’il contient, puis déposez la demande
          d’inscription de l’association.
        </Notice>
      ) : null}
      {params.get("demande") ? (
        <Notice kind="success">
          Votre demande est enregistrée : un administrateur de l’ARS va la vérifier. Vous serez prévenu par e-mail.
        </Notice>
      ) : null}
      {params.get("draft") ? (
        <Notice kind="success">Le brouillon est enregistré : il n’est visible que par vous.</Notice>
      ) : null}
      {params.get("publiee") ? <Notice kind="success">La contribution est publiée.</Notice> : null}
      {params.get("retiree") ? <Notice kind="success">La contribution est retirée.</Notice> : null}
      {actionData?.message ? <Notice kind="error">{actionData.message}</Notice> : null}

      {association ? (
        <section className="fr-mb-6w" aria-labelledby="statut-titre">
          <h2 id="statut-titre">
            {association.name}{" "}
            <span
              className={`fr-badge fr-badge--no-icon ${STATUS[association.status].badge}`}
              data-testid="association-status"
            >
              {STATUS[association.status].label}
            </span>
          </h2>
          <ul>
            <li>{association.identifier}</li>
            {association.agrement ? <li>Agrément : {association.agrement}</li> : null}
            <li>Territoires : {association.territories.map((t) => t.label).join(", ")}</li>
            <li>
              Contact : {association.contactName}, {association.contactEmail}
              {association.contactPhone ? `, ${association.contactPhone}` : ""}
            </li>
          </ul>
          {association.status === "refused" && association.refusalReason ? (
            <div className="fr-alert fr-alert--error fr-mb-3w">
              <h3 className="fr-alert__title">Motif du refus</h3>
              <PlainText text={association.refusalReason} />
              <p>Vous pouvez corriger la demande ci-dessous et la déposer de nouveau.</p>
            </div>
          ) : null}
          {association.status === "verified" ? (
            <p>
              Votre page publique : <Link to={`/associations/${association.slug}`}>{association.name}</Link>. Pour
              contribuer, ouvrez une proposition d’une <Link to="/consultations">consultation</Link> de votre région et
              choisissez « Rédiger une contribution ».
            </p>
          ) : association.status === "pending" ? (
            <p>
              En attendant la vérification, vous pouvez enregistrer des brouillons de contributions depuis les pages des
              propositions ; vous les publierez une fois l’association vérifiée.
            </p>
          ) : null}
        </section>
      ) : null}

      {association?.status !== "verified" ? (
        emailVerified ? (
          <ApplicationForm
            regions={regions}
            association={association}
            result={actionData?.form === "apply" ? actionData.result : undefined}
          />
        ) : (
          <Notice kind="info" title="Confirmez l’adresse du compte">
            Ouvrez le lien envoyé à {email} pour confirmer l’adresse, puis revenez ici déposer la demande de
            l’association.
          </Notice>
        )
      ) : null}

      {association ? (
        <section className="fr-mt-6w" aria-labelledby="contributions-titre">
          <h2 id="contributions-titre">Vos contributions</h2>
          {contributions.length === 0 ? <p>Aucune contribution pour l’instant.</p> : null}
          <ul className="ps-plain-list">
            {contributions.map((c) => (
              <li key={c.id} className="fr-card fr-p-2w fr-mb-2w" data-testid="own-contribution">
                <p className="fr-mb-1w">
                  <strong>{c.title}</strong> — sur «{" "}
                  <Link to={`/consultations/${c.consultationSlug}/propositions/${c.proposalSlug}#contribution-${c.id}`}>
                    {c.proposalTitle}
                  </Link>{" "}
                  »
                </p>
                <p className="fr-text--sm fr-mb-1w">
                  {c.published ? "Publiée" : "Brouillon"} · {c.createdLabel}
                  {c.filename ? ` · pièce jointe ${c.filename}` : ""}
                  {c.moderation === "hidden"
                    ? ` · masquée par la modération : ${c.hiddenReason ? REASON_LABELS[c.hiddenReason] : ""}`
                    : ""}
                  {c.moderation === "pending_review" ? " · masquée en attente d’examen" : ""}
                </p>
                <ContributionActions
                  id={c.id}
                  canPublish={!c.published && association.status === "verified" && c.open}
                />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}

type Regions = Awaited<ReturnType<typeof loader>>["regions"];
type Current = Awaited<ReturnType<typeof loader>>["association"];

function ApplicationForm({
  regions,
  association,
  result,
}: {
  regions: Regions;
  association: Current;
  result: SubmissionResult<string[]> | undefined;
}) {
  const [form, fields] = useForm({
    id: "association-application",
    lastResult: result,
    defaultValue: association
      ? {
          name: association.name,
          identifier: association.identifierRaw,
          agrement: association.agrement ?? "",
          territories: association.territories.map((t) => `${t.kind}:${t.code}`),
          contactName: association.contactName,
          contactEmail: association.contactEmail,
          contactPhone: association.contactPhone ?? "",
        }
      : undefined,
    constraint: getZodConstraint(associationApplicationSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: associationApplicationSchema }),
  });
  const chosen = new Set(
    ([] as unknown[]).concat(fields.territories.initialValue ?? []).filter((v): v is string => typeof v === "string"),
  );
  const territoriesInvalid = !!fields.territories.errors?.length;
  return (
    <section aria-labelledby="demande-titre">
      <h2 id="demande-titre">
        {association ? "Modifier la demande d’inscription" : "Demande d’inscription de l’association"}
      </h2>
      <p>
        Un administrateur de l’ARS vérifie l’association (numéro RNA ou SIREN, agrément « usagers du système de santé »
        s’il y en a un). Tant qu’elle n’est pas vérifiée, elle peut rédiger des brouillons mais pas publier.
      </p>
      <Form method="post" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="apply" />
        {form.errors?.length ? <Notice kind="error">{form.errors.join(" ")}</Notice> : null}
        <InputField meta={fields.name} label="Nom de l’association" autoComplete="organization" />
        <InputField
          meta={fields.identifier}
          label="Numéro RNA ou SIREN"
          hint="RNA : W suivi de 9 chiffres (ex. W141234567). SIREN : 9 chiffres."
        />
        <InputField meta={fields.agrement} label="Numéro d’agrément « usagers du système de santé » (facultatif)" />
        <fieldset
          className={`fr-fieldset${territoriesInvalid ? " fr-fieldset--error" : ""}`}
          id={fields.territories.id}
          aria-labelledby={`${fields.territories.id}-legend`}
          {...(territoriesInvalid ? { "aria-describedby": fields.territories.errorId } : {})}
        >
          <legend className="fr-fieldset__legend" id={`${fields.territories.id}-legend`}>
            Territoires d’action
            <span className="fr-hint-text">
              Les départements ou territoires de conseil territorial de santé où l’association agit : ouvrez une région
              pour choisir.
            </span>
          </legend>
          {regions.map((region) => (
            <div className="fr-fieldset__element" key={region.code}>
              <details
                className="ps-region"
                open={[...region.departements, ...region.cts].some((t) => chosen.has(t.value)) || undefined}
              >
                <summary>{region.name}</summary>
                <div className="ps-region__choices">
                  {[...region.departements, ...region.cts].map((t) => {
                    const id = `territoire-${t.value.replace(/[^A-Za-z0-9-]/g, "-")}`;
                    return (
                      <div className="fr-checkbox-group fr-checkbox-group--sm" key={t.value}>
                        <input
                          type="checkbox"
                          id={id}
                          name={fields.territories.name}
                          value={t.value}
                          defaultChecked={chosen.has(t.value)}
                        />
                        <label className="fr-label" htmlFor={id}>
                          {t.label}
                        </label>
                      </div>
                    );
                  })}
                </div>
              </details>
            </div>
          ))}
          <FieldErrors id={fields.territories.errorId} errors={fields.territories.errors} />
        </fieldset>
        <InputField meta={fields.contactName} label="Personne à contacter" autoComplete="name" />
        <InputField
          meta={fields.contactEmail}
          label="Adresse électronique du contact"
          type="email"
          autoComplete="email"
        />
        <InputField meta={fields.contactPhone} label="Téléphone du contact (facultatif)" autoComplete="tel" />
        <p className="fr-text--sm">Le contact n’est vu que par les administrateurs ; il n’est pas publié.</p>
        <button className="fr-btn" type="submit">
          {association ? "Déposer de nouveau la demande" : "Déposer la demande"}
        </button>
      </Form>
    </section>
  );
}

/** Publish a draft, or withdraw a contribution: two small forms with one schema. */
function ContributionActions({ id, canPublish }: { id: string; canPublish: boolean }) {
  const actionData = useActionData<typeof action>();
  const options = (intent: "publish" | "withdraw") => ({
    id: `${intent}-${id}`,
    lastResult: actionData?.form === `contribution-${id}` ? actionData.result : undefined,
    constraint: getZodConstraint(contributionSchema),
    onValidate: ({ formData }: { formData: FormData }) => parseWithZod(formData, { schema: contributionSchema }),
  });
  const [publish] = useForm(options("publish"));
  const [withdraw] = useForm(options("withdraw"));
  return (
    <div className="ps-comment__actions">
      {canPublish ? (
        <Form method="post" {...getFormProps(publish)}>
          <input type="hidden" name="intent" value="publish" />
          <input type="hidden" name="contributionId" value={id} />
          <button className="fr-btn fr-btn--sm" type="submit">
            Publier
          </button>
        </Form>
      ) : null}
      <details className="ps-disclosure">
        <summary className="fr-btn fr-btn--sm fr-btn--tertiary">Retirer</summary>
        <div className="ps-disclosure__body">
          <Form method="post" {...getFormProps(withdraw)}>
            <input type="hidden" name="intent" value="withdraw" />
            <input type="hidden" name="contributionId" value={id} />
            <p className="fr-text--sm fr-mb-1w">Le texte et la pièce jointe seront effacés.</p>
            <button className="fr-btn fr-btn--sm fr-btn--secondary" type="submit">
              Retirer définitivement
            </button>
          </Form>
        </div>
      </details>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
