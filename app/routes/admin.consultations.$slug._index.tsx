import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { advanceConsultation, LifecycleError, setLiveResults } from "~/ballots/lifecycle.server";
import { requireRole } from "~/web/guards.server";
import { METHOD_LABELS, STATUS_LABELS } from "~/catalogue/themes";
import { requireConsultationForAdmin } from "~/catalogue/catalogue.server";
import { db } from "~/platform/db.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { Notice } from "~/ui/fields";
import { formatDate } from "~/ui/format";
import { readFormData } from "~/web/form.server";

export const meta: MetaFunction = () => [{ title: "Phase de la consultation — Administration — Priorités Santé" }];

const STEPS = {
  brouillon: {
    to: "ouverte",
    label: "Ouvrir le vote",
    warning: "Une fois ouverte, la méthode de vote et ses règles ne peuvent plus changer.",
  },
  ouverte: {
    to: "close",
    label: "Clore le vote",
    warning:
      "Plus aucun vote ne sera possible. Les bulletins perdent définitivement le lien avec leur auteur et leur heure (seul le jour reste) ; les résultats ne changent pas.",
  },
  close: {
    to: "resultats_publies",
    label: "Publier les résultats",
    warning: "Les classements de tous les territoires deviendront publics, ainsi que le jeu de données.",
  },
} as const;

const phaseSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("advance"),
    to: z.enum(["ouverte", "close", "resultats_publies"]),
    confirm: z.literal("oui", { error: "Cochez la case de confirmation." }),
  }),
  // Residents see the live ranking only when this is on (never by default).
  z.object({ intent: z.literal("live"), live: z.enum(["0", "1"]) }),
]);

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  requireRole(context, request, "admin");
  return { consultation: await requireConsultationForAdmin(db(), params.slug) };
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  requireRole(context, request, "admin");
  const consultation = await requireConsultationForAdmin(db(), params.slug);
  const parsed = phaseSchema.safeParse(Object.fromEntries(await readFormData(request)));
  if (!parsed.success) return data({ ok: false, message: parsed.error.issues[0]!.message }, { status: 400 });
  if (parsed.data.intent === "live") {
    const live = parsed.data.live === "1";
    await setLiveResults(db(), consultation.id, live);
    return {
      ok: true,
      message: live
        ? "Les habitants voient désormais les résultats en direct pendant le vote."
        : "Les résultats ne sont plus montrés aux habitants avant leur publication.",
    };
  }
  try {
    const result = await advanceConsultation(db(), consultation.slug, parsed.data.to);
    return {
      ok: true,
      message: `La consultation est désormais « ${STATUS_LABELS[result.to]} ».${result.to === "close" ? ` ${result.anonymised} bulletin(s) rendus anonymes.` : ""}`,
    };
  } catch (error) {
    if (error instanceof LifecycleError) return data({ ok: false, message: error.message }, { status: 409 });
    throw error;
  }
}

export default function ConsultationPhase() {
  const { consultation } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const step = consultation.status in STEPS ? STEPS[consultation.status as keyof typeof STEPS] : null;
  return (
    <>
      <p>
        <Link to="/admin">Administration</Link>
      </p>
      <h1>{consultation.title}</h1>
      {result ? <Notice kind={result.ok ? "success" : "error"}>{result.message}</Notice> : null}
      <ul>
        <li>Phase : {STATUS_LABELS[consultation.status]}</li>
        <li>{METHOD_LABELS[consultation.method]}</li>
        {consultation.opens_at ? <li>Ouverte le {formatDate(consultation.opens_at)}</li> : null}
        {consultation.closes_at ? <li>Close le {formatDate(consultation.closes_at)}</li> : null}
      </ul>
      {step ? (
        // Keyed by phase: the confirmation box of one step never stays ticked for the next.
        <Form method="post" className="fr-mt-4w" key={consultation.status}>
          <input type="hidden" name="intent" value="advance" />
          <input type="hidden" name="to" value={step.to} />
          <p>{step.warning}</p>
          <div className="fr-checkbox-group fr-mb-2w">
            <input type="checkbox" id="confirm" name="confirm" value="oui" required />
            <label className="fr-label" htmlFor="confirm">
              Je confirme : {step.label.toLowerCase()}
            </label>
          </div>
          <button className="fr-btn" type="submit">
            {step.label}
          </button>
        </Form>
      ) : (
        <p>Les résultats sont publiés : la consultation est terminée.</p>
      )}
      {consultation.status === "brouillon" || consultation.status === "ouverte" ? (
        <Form method="post" className="fr-mt-4w">
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
