import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { advanceConsultation, LifecycleError, setLiveResults, setMinAssuranceLevel } from "~/ballots/lifecycle.server";
import { ASSURANCE_LABELS, ASSURANCE_LEVELS } from "~/identity/assurance";
import { requireRole } from "~/web/guards.server";
import { METHOD_LABELS, STATUS_LABELS } from "~/catalogue/themes";
import { findConsultationForAdmin } from "~/catalogue/catalogue.server";
import { orNotFound } from "~/web/access.server";
import { db } from "~/platform/db.server";
import { Breadcrumb } from "~/ui/breadcrumb";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { FieldErrors, Notice, withoutKey } from "~/ui/fields";
import { formatDate } from "~/ui/format";
import { readFormData } from "~/web/form.server";

export const meta: MetaFunction = () => [{ title: "Phase de la consultation — Administration — Priorités Santé" }];

const STEPS = {
  draft: {
    to: "open",
    label: "Ouvrir le vote",
    warning: "Une fois ouverte, la méthode de vote et ses règles ne peuvent plus changer.",
  },
  open: {
    to: "closed",
    label: "Clore le vote",
    warning:
      "Plus aucun vote ne sera possible. Les bulletins perdent définitivement le lien avec leur auteur et leur heure (seul le jour reste) ; les résultats ne changent pas.",
  },
  closed: {
    to: "results_published",
    label: "Publier les résultats",
    warning: "Les classements de tous les territoires deviendront publics, ainsi que le jeu de données.",
  },
} as const;

// The page's two forms, told apart by `intent`: one schema for the action and both components.
const phaseSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal("advance"),
      to: z.enum(["open", "closed", "results_published"], { error: "Phase inconnue." }),
      confirm: z.literal("oui", { error: "Cochez la case de confirmation." }),
    }),
    // Residents see the live ranking only when this is on (never by default).
    z.object({ intent: z.literal("live"), live: z.enum(["0", "1"], { error: "Choix inconnu." }) }),
    // The lowest level of assurance a resident needs to vote (docs/domain.md « Niveaux de garantie »).
    z.object({ intent: z.literal("level"), level: z.enum(ASSURANCE_LEVELS, { error: "Niveau inconnu." }) }),
  ],
  { error: "Action inconnue." },
);

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  requireRole(context, request, "admin");
  return {
    consultation: orNotFound(await findConsultationForAdmin(db(), params.slug ?? ""), "Consultation inconnue."),
  };
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  requireRole(context, request, "admin");
  const consultation = orNotFound(await findConsultationForAdmin(db(), params.slug ?? ""), "Consultation inconnue.");
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  const form = intent === "live" ? "live" : intent === "level" ? "level" : "advance";
  const submission = parseWithZod(formData, { schema: phaseSchema });
  if (submission.status !== "success") return data({ form, result: submission.reply(), done: null }, { status: 400 });
  if (submission.value.intent === "level") {
    await setMinAssuranceLevel(db(), consultation.id, submission.value.level);
    return {
      form,
      result: submission.reply(),
      done: `Niveau de garantie minimal pour voter : « ${ASSURANCE_LABELS[submission.value.level]} ».`,
    };
  }
  if (submission.value.intent === "live") {
    const live = submission.value.live === "1";
    await setLiveResults(db(), consultation.id, live);
    return {
      form,
      result: submission.reply(),
      done: live
        ? "Les habitants voient désormais les résultats en direct pendant le vote."
        : "Les résultats ne sont plus montrés aux habitants avant leur publication.",
    };
  }
  try {
    const moved = await advanceConsultation(db(), consultation.slug, submission.value.to);
    return {
      form,
      result: submission.reply(),
      done: `La consultation est désormais « ${STATUS_LABELS[moved.to]} ».${moved.to === "closed" ? ` ${moved.anonymised} bulletin(s) rendus anonymes.` : ""}`,
    };
  } catch (error) {
    if (!(error instanceof LifecycleError)) throw error;
    return data({ form, result: submission.reply({ formErrors: [error.message] }), done: null }, { status: 409 });
  }
}

export default function ConsultationPhase() {
  const { consultation } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const step = consultation.status in STEPS ? STEPS[consultation.status as keyof typeof STEPS] : null;
  // Only a refusal goes back to its form. A form per phase: the next step starts unticked and clean.
  const [advance, advanceFields] = useForm({
    id: `advance-${consultation.status}`,
    lastResult: actionData?.form === "advance" && !actionData.done ? actionData.result : undefined,
    constraint: getZodConstraint(phaseSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: phaseSchema }),
  });
  const [live] = useForm({
    id: "live",
    lastResult: actionData?.form === "live" && !actionData.done ? actionData.result : undefined,
    constraint: getZodConstraint(phaseSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: phaseSchema }),
  });
  const [level] = useForm({
    id: "level",
    lastResult: actionData?.form === "level" && !actionData.done ? actionData.result : undefined,
    constraint: getZodConstraint(phaseSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: phaseSchema }),
  });
  // Every error of the form sent, in French: the form's own (a refused step) and its fields'.
  const sent = actionData?.form === "live" ? live : actionData?.form === "level" ? level : advance;
  const errors = actionData && !actionData.done ? sent.allErrors : {};
  const messages = [...new Set(Object.values(errors).flat())];
  return (
    <>
      <Breadcrumb items={[{ to: "/admin", label: "Administration" }, { label: consultation.title }]} />
      <h1>{consultation.title}</h1>
      {actionData?.done ? <Notice kind="success">{actionData.done}</Notice> : null}
      {messages.length ? <Notice kind="error">{messages.join(" ")}</Notice> : null}
      <ul>
        <li>Phase : {STATUS_LABELS[consultation.status]}</li>
        <li>{METHOD_LABELS[consultation.method]}</li>
        {consultation.opens_at ? <li>Ouverte le {formatDate(consultation.opens_at)}</li> : null}
        {consultation.closes_at ? <li>Close le {formatDate(consultation.closes_at)}</li> : null}
      </ul>
      {step ? (
        // Keyed by phase: the confirmation box of one step never stays ticked for the next.
        <Form method="post" className="fr-mt-4w" key={consultation.status} {...getFormProps(advance)}>
          <input type="hidden" name="intent" value="advance" />
          <input type="hidden" name="to" value={step.to} />
          <p>{step.warning}</p>
          <div
            className={`fr-checkbox-group fr-mb-2w${advanceFields.confirm.errors ? " fr-checkbox-group--error" : ""}`}
          >
            {/* A stable id: the label is what people (and the end-to-end tests) click. */}
            <input
              {...withoutKey(getInputProps(advanceFields.confirm, { type: "checkbox", value: "oui" }))}
              id="confirm"
              required
            />
            <label className="fr-label" htmlFor="confirm">
              Je confirme : {step.label.toLowerCase()}
            </label>
            <FieldErrors id={advanceFields.confirm.errorId} errors={advanceFields.confirm.errors} />
          </div>
          <button className="fr-btn" type="submit">
            {step.label}
          </button>
        </Form>
      ) : (
        <p>Les résultats sont publiés : la consultation est terminée.</p>
      )}
      {consultation.status === "draft" || consultation.status === "open" ? (
        <Form method="post" className="fr-mt-4w" {...getFormProps(live)}>
          <input type="hidden" name="intent" value="live" />
          <input type="hidden" name="live" value={consultation.live_results ? "0" : "1"} />
          <p>
            {consultation.live_results
              ? "Les habitants voient les résultats en direct pendant le vote."
              : "Les habitants ne voient pas les résultats avant leur publication (les membres des CTS et les administrateurs, si)."}
          </p>
          <button className="fr-btn fr-btn--secondary" type="submit">
            {consultation.live_results
              ? "Ne plus montrer les résultats en direct"
              : "Montrer les résultats en direct aux habitants"}
          </button>
        </Form>
      ) : null}
      <Form method="post" className="fr-mt-4w" {...getFormProps(level)}>
        <input type="hidden" name="intent" value="level" />
        <div className="fr-select-group">
          <label className="fr-label" htmlFor="min-level">
            Niveau de garantie minimal pour voter
            <span className="fr-hint-text">
              Un habitant en dessous voit comment l’atteindre depuis « Mon compte ». Les bulletins déjà exprimés restent
              comptés.
            </span>
          </label>
          <select
            className="fr-select"
            id="min-level"
            name="level"
            defaultValue={consultation.min_assurance_level}
            key={consultation.min_assurance_level}
          >
            {ASSURANCE_LEVELS.map((l) => (
              <option key={l} value={l}>
                {ASSURANCE_LABELS[l]}
              </option>
            ))}
          </select>
        </div>
        <button className="fr-btn fr-btn--secondary" type="submit">
          Enregistrer le niveau minimal
        </button>
      </Form>
      <ul className="fr-mt-4w">
        <li>
          <Link to={`/admin/consultations/${consultation.slug}/bulletins-papier`}>Importer des bulletins papier</Link>
        </li>
        <li>
          <Link to={`/consultations/${consultation.slug}/resultats`}>Résultats de la région et de chaque CTS</Link>
        </li>
      </ul>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
