import { getFormProps, getInputProps, getSelectProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireRole } from "~/web/guards.server";
import { regionNames } from "~/territories/territories.server";
import { CommentError } from "~/comments/comments.server";
import { moderationSchema } from "~/comments/forms";
import { REASON_CHOICES, REASON_LABELS, FLAG_REASONS } from "~/comments/labels";
import { moderate, moderatedRegions, moderationQueue, type QueueItem } from "~/moderation/moderation.server";
import { PlainText } from "~/comments/plain-text";
import type { FlagReason } from "../../db/schema";
import { db } from "~/platform/db.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { FieldErrors, Notice, withoutKey } from "~/ui/fields";
import { REFUSAL_STATUS } from "~/web/access.server";
import { readFormData } from "~/web/form.server";

export const meta: MetaFunction = () => [{ title: "Modération — Priorités Santé" }];

const DONE: Record<string, string> = {
  hide: "Élément masqué ; son auteur a été prévenu par e-mail.",
  restore: "Élément rétabli ; son auteur a été prévenu par e-mail.",
  dismiss: "Signalements classés sans suite.",
  uphold: "Masquage maintenu ; l’auteur a été prévenu par e-mail.",
};

// Administrators may moderate too, in every region.
const MODERATORS = ["moderator", "admin"] as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireRole(context, request, MODERATORS);
  const { everyRegion, regions } = await moderatedRegions(db(), user);
  const [names, queue] = await Promise.all([
    everyRegion ? [] : regionNames(db(), regions),
    moderationQueue(db(), regions),
  ]);
  return { regions: names, everyRegion, queue };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireRole(context, request, MODERATORS);
  const formData = await readFormData(request);
  const submission = parseWithZod(formData, { schema: moderationSchema });
  if (submission.status !== "success") {
    // The item's form shows its fields' errors; the page says what is missing overall.
    const target = String(formData.get("targetId") ?? "") || null;
    return data(
      { message: "Demande incomplète : choisissez une action.", target, result: submission.reply() },
      { status: 400 },
    );
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
    return data(
      { message: error.message, target: v.targetId, result: submission.reply({ formErrors: [error.message] }) },
      { status: REFUSAL_STATUS[error.code] },
    );
  }
  return redirect(`/moderation?fait=${v.intent}`, 303);
}

export default function ModerationQueue() {
  const { regions, everyRegion, queue } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const done = params.get("fait");
  return (
    <>
      <h1>Modération</h1>
      <p>
        {everyRegion
          ? "Toutes les régions (administrateur)"
          : `Région${regions.length > 1 ? "s" : ""} : ${regions.join(", ") || "aucune"}`}
        . Les éléments signalés, masqués automatiquement après trois signalements, ou dont l’auteur demande un réexamen,
        du plus ancien au plus récent. Chaque décision est journalisée et l’auteur en est informé par e-mail.
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

function mostReported(item: QueueItem): FlagReason {
  const counts = new Map<FlagReason, number>();
  for (const r of item.flags) counts.set(r.reason, (counts.get(r.reason) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? item.hiddenReason ?? "personal_data";
}

function QueueCard({ item }: { item: QueueItem }) {
  const what = item.kind === "comment" ? "Commentaire" : "Contribution";
  const anchor = `${item.kind === "comment" ? "commentaire" : "contribution"}-${item.id}`;
  const formId = `moderer-${item.id}`;
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: formId,
    lastResult: actionData?.target === item.id ? actionData.result : undefined,
    constraint: getZodConstraint(moderationSchema),
    defaultValue: { reason: item.moderation !== "hidden" ? mostReported(item) : undefined },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: moderationSchema }),
  });
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
        {item.flags.length ? (
          <li>
            <p className="fr-badge fr-badge--sm fr-badge--warning">
              {item.flags.length} signalement{item.flags.length > 1 ? "s" : ""}
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
      {item.flags.length ? (
        <>
          <h3 className="fr-h6 fr-mb-1w">Signalements</h3>
          <ul className="fr-text--sm">
            {item.flags.map((r, i) => (
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
      <Form method="post" {...getFormProps(form)}>
        <input type="hidden" name="targetKind" value={item.kind} />
        <input type="hidden" name="targetId" value={item.id} />
        {item.moderation !== "hidden" ? (
          <div className="fr-select-group">
            <label className="fr-label" htmlFor={`${formId}-reason`}>
              Motif affiché en cas de masquage
            </label>
            <select className="fr-select" {...withoutKey(getSelectProps(fields.reason))}>
              {FLAG_REASONS.map((r) => (
                <option key={r} value={r}>
                  {REASON_CHOICES[r]}
                </option>
              ))}
            </select>
            <FieldErrors id={fields.reason.errorId} errors={fields.reason.errors} />
          </div>
        ) : null}
        <div className="fr-input-group">
          <label className="fr-label" htmlFor={`${formId}-note`}>
            Précision pour l’auteur (facultatif)
            <span className="fr-hint-text">Envoyée par e-mail à l’auteur et gardée au journal.</span>
          </label>
          <input className="fr-input" {...withoutKey(getInputProps(fields.note, { type: "text" }))} maxLength={500} />
          <FieldErrors id={fields.note.errorId} errors={fields.note.errors} />
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
          {item.moderation !== "hidden" && item.flags.length ? (
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
