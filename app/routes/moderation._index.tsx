import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireRole } from "~/web/guards.server";
import { CommentError } from "~/comments/comments.server";
import { moderationSchema } from "~/comments/forms";
import { REASON_CHOICES, REASON_LABELS, REPORT_REASONS } from "~/comments/labels";
import { moderate, moderatedRegions, moderationQueue, type QueueItem } from "~/moderation/moderation.server";
import { PlainText } from "~/comments/plain-text";
import type { ReportReason } from "../../db/schema";
import { db } from "~/platform/db.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { Notice } from "~/ui/fields";
import { readFormData } from "~/web/form.server";

export const meta: MetaFunction = () => [{ title: "Modération — Priorités Santé" }];

const DONE: Record<string, string> = {
  hide: "Élément masqué ; son auteur a été prévenu par e-mail.",
  restore: "Élément rétabli ; son auteur a été prévenu par e-mail.",
  dismiss: "Signalements classés sans suite.",
  uphold: "Masquage maintenu ; l’auteur a été prévenu par e-mail.",
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireRole(context, request, "moderator");
  const regions = moderatedRegions(user);
  const [names, queue] = await Promise.all([
    regions.length
      ? db().selectFrom("regions").select("name").where("code", "in", regions).orderBy("name").execute()
      : [],
    moderationQueue(db(), regions),
  ]);
  return { regions: names.map((r) => r.name), queue };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireRole(context, request, "moderator");
  const submission = parseWithZod(await readFormData(request), { schema: moderationSchema });
  if (submission.status !== "success") {
    return data({ message: "Demande incomplète : choisissez une action.", target: null }, { status: 400 });
  }
  const v = submission.value;
  try {
    await moderate(db(), {
      moderator: user,
      intent: v.intent,
      kind: v.targetKind,
      id: v.targetId,
      reason: v.reason,
      note: v.note,
    });
  } catch (error) {
    if (!(error instanceof CommentError)) throw error;
    return data({ message: error.message, target: v.targetId }, { status: error.status });
  }
  return redirect(`/moderation?fait=${v.intent}`, 303);
}

export default function ModerationQueue() {
  const { regions, queue } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const done = params.get("fait");
  return (
    <>
      <h1>Modération</h1>
      <p>
        Région{regions.length > 1 ? "s" : ""} : {regions.join(", ") || "aucune"}. Les éléments signalés, masqués
        automatiquement après trois signalements, ou dont l’auteur demande un réexamen, du plus ancien au plus récent.
        Chaque décision est journalisée et l’auteur en est informé par e-mail.
      </p>
      {done && DONE[done] ? <Notice kind="success">{DONE[done]}</Notice> : null}
      {actionData?.message ? <Notice kind="error">{actionData.message}</Notice> : null}
      {queue.length === 0 ? <p>Rien à examiner pour l’instant.</p> : null}
      <ol className="ps-plain-list">
        {queue.map((item) => (
          <li key={`${item.kind}-${item.id}`} className="fr-mb-4w">
            <QueueCard item={item} />
          </li>
        ))}
      </ol>
    </>
  );
}

function mostReported(item: QueueItem): ReportReason {
  const counts = new Map<ReportReason, number>();
  for (const r of item.reports) counts.set(r.reason, (counts.get(r.reason) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? item.hiddenReason ?? "personal_data";
}

function QueueCard({ item }: { item: QueueItem }) {
  const what = item.kind === "comment" ? "Commentaire" : "Contribution";
  const anchor = `${item.kind === "comment" ? "commentaire" : "contribution"}-${item.id}`;
  const formId = `moderer-${item.id}`;
  return (
    <article className="fr-card fr-p-3w" data-testid="queue-item" aria-labelledby={`${formId}-titre`}>
      <h2 className="fr-h5 fr-mb-1w" id={`${formId}-titre`}>
        {what} sur «{" "}
        <Link to={`/consultations/${item.consultationSlug}/propositions/${item.proposalSlug}#${anchor}`}>
          {item.proposalTitle}
        </Link>{" "}
        »
      </h2>
      <ul className="fr-badges-group fr-mb-1w">
        {item.reports.length ? (
          <li>
            <p className="fr-badge fr-badge--sm fr-badge--warning">
              {item.reports.length} signalement{item.reports.length > 1 ? "s" : ""}
            </p>
          </li>
        ) : null}
        {item.moderation === "pending_review" ? (
          <li>
            <p className="fr-badge fr-badge--sm fr-badge--error">Masqué en attente d’examen</p>
          </li>
        ) : null}
        {item.moderation === "hidden" ? (
          <li>
            <p className="fr-badge fr-badge--sm">
              Masqué : {item.hiddenReason ? REASON_LABELS[item.hiddenReason] : ""}
            </p>
          </li>
        ) : null}
        {item.reviewRequested ? (
          <li>
            <p className="fr-badge fr-badge--sm fr-badge--info">Réexamen demandé</p>
          </li>
        ) : null}
      </ul>
      <p className="fr-text--sm fr-mb-1w">
        En attente depuis le {item.waitingLabel} · {item.regionName} · auteur :{" "}
        <strong data-testid="queue-author">{item.authorLabel}</strong> —{" "}
        <span data-testid="author-history">
          {item.authorHistory.total} {item.kind === "comment" ? "commentaire" : "contribution"}
          {item.authorHistory.total > 1 ? "s" : ""} au total, dont {item.authorHistory.hidden} masqué
          {item.kind === "contribution" ? "e" : ""}
          {item.authorHistory.hidden > 1 ? "s" : ""}
        </span>
      </p>
      <div className="ps-quote fr-mb-2w">
        {item.title ? <p className="fr-text--bold fr-mb-1w">{item.title}</p> : null}
        <PlainText text={item.text} />
      </div>
      {item.reports.length ? (
        <>
          <h3 className="fr-h6 fr-mb-1w">Signalements</h3>
          <ul className="fr-text--sm">
            {item.reports.map((r, i) => (
              <li key={i}>
                {REASON_CHOICES[r.reason]} — le {r.createdLabel}
                {r.details ? (
                  <>
                    {" "}
                    : « <span className="ps-text">{r.details}</span> »
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {item.reviewRequested ? (
        <div className="fr-mb-2w">
          <h3 className="fr-h6 fr-mb-1w">Demande de réexamen de l’auteur</h3>
          {item.reviewMessage ? <PlainText text={item.reviewMessage} /> : <p className="fr-text--sm">Sans message.</p>}
        </div>
      ) : null}
      <Form method="post" id={formId}>
        <input type="hidden" name="targetKind" value={item.kind} />
        <input type="hidden" name="targetId" value={item.id} />
        {item.moderation !== "hidden" ? (
          <div className="fr-select-group">
            <label className="fr-label" htmlFor={`${formId}-reason`}>
              Motif affiché en cas de masquage
            </label>
            <select className="fr-select" id={`${formId}-reason`} name="reason" defaultValue={mostReported(item)}>
              {REPORT_REASONS.map((r) => (
                <option key={r} value={r}>
                  {REASON_CHOICES[r]}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="fr-input-group">
          <label className="fr-label" htmlFor={`${formId}-note`}>
            Précision pour l’auteur (facultatif)
            <span className="fr-hint-text">Envoyée par e-mail à l’auteur et gardée au journal.</span>
          </label>
          <input className="fr-input" id={`${formId}-note`} name="note" maxLength={500} />
        </div>
        <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--sm">
          {item.moderation !== "hidden" ? (
            <li>
              <button className="fr-btn" type="submit" name="intent" value="hide">
                Masquer
              </button>
            </li>
          ) : null}
          {item.moderation !== "visible" ? (
            <li>
              <button className="fr-btn fr-btn--secondary" type="submit" name="intent" value="restore">
                Rétablir
              </button>
            </li>
          ) : null}
          {item.moderation !== "hidden" && item.reports.length ? (
            <li>
              <button className="fr-btn fr-btn--tertiary" type="submit" name="intent" value="dismiss">
                Classer les signalements sans suite
              </button>
            </li>
          ) : null}
          {item.moderation === "hidden" && item.reviewRequested ? (
            <li>
              <button className="fr-btn fr-btn--tertiary" type="submit" name="intent" value="uphold">
                Maintenir le masquage
              </button>
            </li>
          ) : null}
        </ul>
      </Form>
    </article>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
