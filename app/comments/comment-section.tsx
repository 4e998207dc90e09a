import { getFormProps, getInputProps, getTextareaProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import { Form, Link, useLocation, useNavigation, useSearchParams } from "@remix-run/react";
import { useEffect, type ReactNode } from "react";
import type { FlagReason } from "../../db/schema";
import { FieldErrors, Notice, withoutKey } from "../ui/fields";
import { Pagination } from "../ui/pagination";
import { RadioGroup, TextareaField } from "../ui/textarea";
import type { CommentView, StanceCounts } from "./comments.server";
import {
  commentSchema,
  deleteSchema,
  editSchema,
  replySchema,
  flagSchema,
  reviewSchema,
  usefulSchema,
  type DiscussionActionData,
} from "./forms";
import {
  COMMENT_MAX,
  COMMENT_MIN,
  EDIT_WINDOW_MINUTES,
  REASON_CHOICES,
  REASON_LABELS,
  REVIEW_NOTICES,
  FLAG_REASONS,
  STANCE_BADGES,
  STANCE_LABELS,
  STANCES,
} from "./labels";
import { PlainText } from "./plain-text";
import type { ProposalDiscussion } from "./discussion.server";
import { arrondissementLabel } from "../ui/place-names";

// The residents' comments on a proposal page: the form, the filters, the threads and their
// actions. Every form is a plain POST that works without JavaScript.

const OK_MESSAGES: Record<string, string> = {
  commentaire: "Votre commentaire est publié.",
  reponse: "Votre réponse est publiée.",
  modifie: "Votre commentaire est modifié.",
  supprime: "Votre commentaire est supprimé.",
  signale: "Merci : votre signalement a été transmis à la modération.",
  reexamen: "Votre demande de réexamen a été transmise à la modération.",
};

const HEALTH_WARNING =
  "Les commentaires sont publics. N’y écrivez aucune information sur votre santé ou sur celle d’autres personnes (maladie, traitement, handicap, grossesse…), ni rien qui permette d’identifier quelqu’un.";

export function stanceSummary(counts: StanceCounts): string {
  if (counts.total === 0) return "aucun commentaire";
  const plural = (n: number, word: string, pluralWord = `${word}s`) => `${n} ${n > 1 ? pluralWord : word}`;
  return `${plural(counts.total, "commentaire")} : ${counts.for} pour, ${counts.against} contre, ${plural(counts.nuanced, "nuancé")}`;
}

export function CommentSection({
  discussion,
  actionData,
}: {
  discussion: ProposalDiscussion;
  actionData: DiscussionActionData | undefined;
}) {
  const [searchParams] = useSearchParams();
  const ok = searchParams.get("ok");
  const { list, counts } = discussion;
  return (
    <section id="commentaires" aria-labelledby="commentaires-titre" className="fr-mt-6w">
      <h2 id="commentaires-titre">Commentaires des habitants</h2>
      <p data-testid="stance-summary">{capitalise(stanceSummary(counts))}.</p>
      {discussion.cts ? <CtsPanel cts={discussion.cts} /> : null}
      {ok && OK_MESSAGES[ok] ? <Notice kind="success">{OK_MESSAGES[ok]}</Notice> : null}
      {discussion.refusal ? (
        <RefusalNotice discussion={discussion} />
      ) : (
        <NewCommentForm displayName={discussion.displayName} actionData={actionData} />
      )}
      <CommentFilters discussion={discussion} />
      {list.items.length === 0 ? (
        <p>
          {list.total === 0 && !searchParams.get("position") && !searchParams.get("territoire")
            ? "Aucun commentaire pour l’instant."
            : "Aucun commentaire ne correspond à ces filtres."}
        </p>
      ) : (
        <ol className="ps-comments" aria-label="Commentaires">
          {list.items.map((comment) => (
            <CommentItem key={comment.id} comment={comment} discussion={discussion} actionData={actionData} />
          ))}
        </ol>
      )}
      <Pagination page={list.page} pageCount={list.pageCount} params={withoutOk(searchParams)} />
    </section>
  );
}

function withoutOk(params: URLSearchParams): URLSearchParams {
  const next = new URLSearchParams(params);
  next.delete("ok");
  return next;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function RefusalNotice({ discussion }: { discussion: ProposalDiscussion }) {
  const location = useLocation();
  if (!discussion.signedIn && discussion.open) {
    const redirectTo = encodeURIComponent(`${location.pathname}${location.search}#commentaires`);
    return (
      <div className="fr-callout fr-mb-4w">
        <p className="fr-callout__text">
          Pour commenter cette proposition, <Link to={`/connexion?redirectTo=${redirectTo}`}>connectez-vous</Link> ou{" "}
          <Link to="/inscription">créez un compte</Link>.
        </p>
      </div>
    );
  }
  return (
    <p className="fr-text--sm ps-muted" data-testid="comment-refusal">
      {discussion.refusal}
    </p>
  );
}

function CtsPanel({ cts }: { cts: NonNullable<ProposalDiscussion["cts"]> }) {
  return (
    <div className="fr-callout fr-callout--blue-ecume fr-mb-4w" data-testid="cts-panel">
      <h3 className="fr-callout__title fr-h6">
        Votre territoire : {cts.territories.map((t) => `CTS ${t.name}`).join(", ")}
      </h3>
      <p className="fr-callout__text">
        {capitalise(stanceSummary(cts.counts))}. Les commentaires écrits depuis votre territoire sont affichés en
        premier.
      </p>
      <ul className="ps-plain-list fr-mt-1w">
        {cts.territories.map((t) => (
          <li key={t.code}>
            <Link to={`/cts/${encodeURIComponent(t.code)}/commentaires/${cts.consultationSlug}`}>
              Exporter les commentaires de la consultation (CTS {t.name})
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * Empties a form after its publication succeeded: the action then redirects to
 * `?ok=<what>#commentaire-<new id>`, a new anchor each time. A refusal does not redirect, so the
 * text typed stays for correction.
 */
function useResetAfter(what: string, reset: () => void) {
  const location = useLocation();
  const [params] = useSearchParams();
  const marker = params.get("ok") === what ? location.hash : null;
  useEffect(() => {
    if (marker) reset();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [marker]);
}

function NewCommentForm({
  displayName,
  actionData,
}: {
  displayName: string | null;
  actionData: DiscussionActionData | undefined;
}) {
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "comment-new",
    lastResult: actionData?.form === "comment-new" ? actionData.result : undefined,
    constraint: getZodConstraint(commentSchema),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: commentSchema }),
  });
  useResetAfter("commentaire", () => form.reset());
  return (
    <Form method="post" preventScrollReset {...getFormProps(form)} className="ps-comment-form fr-mb-6w">
      <h3 className="fr-h5">Donner votre avis</h3>
      <div className="fr-alert fr-alert--warning fr-alert--sm fr-mb-2w">
        <p id="comment-warning">{HEALTH_WARNING}</p>
      </div>
      {form.errors?.length ? (
        <div className="fr-alert fr-alert--error fr-alert--sm fr-mb-2w" role="alert" id={form.errorId}>
          <p>{form.errors.join(" ")}</p>
        </div>
      ) : null}
      <input type="hidden" name="intent" value="comment" />
      <RadioGroup
        meta={fields.stance}
        legend="Votre position sur cette proposition"
        inline
        options={STANCES.map((s) => ({ value: s, label: STANCE_LABELS[s] }))}
      />
      <TextareaField
        meta={fields.body}
        label="Votre commentaire"
        hint={`Entre ${COMMENT_MIN} et ${COMMENT_MAX.toLocaleString("fr-FR")} caractères. Texte simple : les retours à la ligne et les liens sont gardés, aucune mise en forme.`}
        maxLength={COMMENT_MAX}
      />
      <SignatureChoice meta={fields.signature} displayName={displayName} />
      <button className="fr-btn" type="submit" disabled={navigation.state === "submitting"}>
        Publier mon commentaire
      </button>
    </Form>
  );
}

function SignatureChoice({
  meta,
  displayName,
}: {
  meta: Parameters<typeof RadioGroup>[0]["meta"];
  displayName: string | null;
}) {
  if (!displayName) {
    return (
      <p className="fr-text--sm">
        <input type="hidden" name={meta.name} value="anonyme" />
        Vos commentaires sont signés « un·e habitant·e », avec votre arrondissement. Pour signer de votre nom,
        choisissez un <Link to="/mon-compte#nom-public">nom public dans « Mon compte »</Link>.
      </p>
    );
  }
  return (
    <RadioGroup
      meta={meta}
      legend="Signature"
      hint="Votre arrondissement est toujours indiqué."
      defaultValue="nom"
      options={[
        { value: "nom", label: <>De mon nom public : « {displayName} »</> },
        { value: "anonyme", label: "Anonymement : « un·e habitant·e »" },
      ]}
    />
  );
}

function CommentFilters({ discussion }: { discussion: ProposalDiscussion }) {
  const { filters, myPlace } = discussion;
  return (
    <Form method="get" preventScrollReset className="ps-filters fr-mb-3w" aria-label="Filtrer les commentaires">
      <div className="fr-select-group">
        <label className="fr-label" htmlFor="filtre-position">
          Position
        </label>
        <select className="fr-select" id="filtre-position" name="position" defaultValue={filters.stance}>
          <option value="">Toutes</option>
          {STANCES.map((s) => (
            <option key={s} value={s}>
              {STANCE_LABELS[s]}
            </option>
          ))}
        </select>
      </div>
      {myPlace ? (
        <div className="fr-select-group">
          <label className="fr-label" htmlFor="filtre-territoire">
            Territoire des auteurs
          </label>
          <select className="fr-select" id="filtre-territoire" name="territoire" defaultValue={filters.territory}>
            <option value="">Tous</option>
            <option value="arrondissement">Mon arrondissement ({myPlace.arrondissement.name})</option>
            <option value="cts">Mon CTS ({myPlace.cts.name})</option>
          </select>
        </div>
      ) : null}
      <div className="fr-select-group">
        <label className="fr-label" htmlFor="filtre-tri">
          Trier par
        </label>
        <select className="fr-select" id="filtre-tri" name="tri" defaultValue={filters.sort}>
          <option value="recents">Les plus récents</option>
          <option value="utiles">Les plus utiles</option>
        </select>
      </div>
      <button className="fr-btn fr-btn--secondary" type="submit">
        Afficher les commentaires
      </button>
    </Form>
  );
}

function StanceBadge({ stance }: { stance: CommentView["stance"] }) {
  if (!stance) return null;
  return (
    <span className={`fr-badge fr-badge--sm fr-badge--no-icon ${STANCE_BADGES[stance]}`} data-testid="comment-stance">
      {STANCE_LABELS[stance]}
    </span>
  );
}

function placeholder(comment: CommentView): string | null {
  switch (comment.state) {
    case "deleted":
      return "Commentaire supprimé par son auteur.";
    case "pending_review":
      return "Commentaire masqué en attente d’examen par la modération.";
    case "hidden":
      return `Masqué par la modération : ${comment.hiddenReason ? REASON_LABELS[comment.hiddenReason] : "contenu contraire à la charte"}.`;
    default:
      return null;
  }
}

/** Conform's options for one of the discussion's small forms: its id, its schema, its last result. */
function smallForm<Schema extends Parameters<typeof getZodConstraint>[0]>(
  id: string,
  schema: Schema,
  actionData: DiscussionActionData | undefined,
) {
  return {
    id,
    lastResult: actionData?.form === id ? actionData.result : undefined,
    constraint: getZodConstraint(schema),
    onValidate: ({ formData }: { formData: FormData }) => parseWithZod(formData, { schema }),
  };
}

function FormError({ actionData, form }: { actionData: DiscussionActionData | undefined; form: string }) {
  if (actionData?.form !== form || !actionData.message) return null;
  return (
    <p className="fr-error-text" role="alert">
      {actionData.message}
    </p>
  );
}

function CommentItem({
  comment,
  discussion,
  actionData,
  reply = false,
}: {
  comment: CommentView;
  discussion: ProposalDiscussion;
  actionData: DiscussionActionData | undefined;
  reply?: boolean;
}) {
  const hiddenText = placeholder(comment);
  const visible = comment.state === "visible";
  const canAct = discussion.open && discussion.signedIn;
  return (
    <li
      id={`commentaire-${comment.id}`}
      className={reply ? "ps-comment ps-comment--reply" : "ps-comment"}
      data-testid={reply ? "reply" : "comment"}
    >
      <article>
        {comment.state !== "deleted" ? (
          <p className="ps-comment__meta">
            <StanceBadge stance={comment.stance} /> <strong data-testid="comment-author">{comment.authorLabel}</strong>
            {comment.arrondissementName ? <> · {arrondissementLabel(comment.arrondissementName)}</> : null} ·{" "}
            <time dateTime={comment.createdAt}>{comment.createdLabel}</time>
            {comment.edited ? (
              <>
                {" "}
                · <em>modifié</em>
              </>
            ) : null}
          </p>
        ) : null}
        {hiddenText ? (
          <p className="ps-comment__placeholder" data-testid="comment-placeholder">
            {hiddenText}
          </p>
        ) : null}
        {comment.body ? (
          visible ? (
            <PlainText text={comment.body} className="ps-comment__body" />
          ) : (
            <div className="ps-comment__own-hidden">
              <p className="fr-text--sm fr-mb-1w">Votre texte, visible par vous seul·e :</p>
              <PlainText text={comment.body} />
            </div>
          )
        ) : null}
        <div className="ps-comment__actions">
          {visible ? <UsefulControl comment={comment} discussion={discussion} actionData={actionData} /> : null}
          {visible && !reply && canAct && !discussion.refusal ? (
            <ReplyForm parent={comment} discussion={discussion} actionData={actionData} />
          ) : null}
          {comment.canEdit ? <EditForm comment={comment} actionData={actionData} reply={reply} /> : null}
          {comment.mine && comment.state !== "deleted" ? (
            <DeleteForm comment={comment} actionData={actionData} />
          ) : null}
          {visible && discussion.signedIn && !comment.mine ? (
            <FlagForm kind="comment" id={comment.id} reported={comment.flaggedByMe} actionData={actionData} />
          ) : null}
          {comment.canReview ? <ReviewForm kind="comment" id={comment.id} actionData={actionData} /> : null}
          {comment.mine && comment.review !== "none" ? (
            <p className="fr-text--sm fr-mb-0">{REVIEW_NOTICES[comment.review]}</p>
          ) : null}
        </div>
        {comment.replies.length ? (
          <ol className="ps-comments ps-comments--replies" aria-label="Réponses">
            {comment.replies.map((r) => (
              <CommentItem key={r.id} comment={r} discussion={discussion} actionData={actionData} reply />
            ))}
          </ol>
        ) : null}
      </article>
    </li>
  );
}

function UsefulControl({
  comment,
  discussion,
  actionData,
}: {
  comment: CommentView;
  discussion: ProposalDiscussion;
  actionData: DiscussionActionData | undefined;
}) {
  const count = comment.useful;
  const label = `${count} personne${count > 1 ? "s ont" : " a"} trouvé ce commentaire utile`;
  const [form] = useForm(smallForm(`useful-${comment.id}`, usefulSchema, actionData));
  if (comment.mine || !discussion.signedIn || !discussion.open || discussion.refusal) {
    return count ? <p className="fr-text--sm fr-mb-0">{label}</p> : null;
  }
  return (
    <Form method="post" preventScrollReset className="ps-inline-form" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="useful" />
      <input type="hidden" name="commentId" value={comment.id} />
      <input type="hidden" name="value" value={comment.markedUseful ? "0" : "1"} />
      <button
        type="submit"
        className={`fr-btn fr-btn--sm ${comment.markedUseful ? "" : "fr-btn--secondary"} fr-icon-thumb-up-line fr-btn--icon-left`}
        aria-pressed={comment.markedUseful}
        title={comment.markedUseful ? "Retirer ma mention « utile »" : "Trouver ce commentaire utile"}
      >
        Utile ({count})
      </button>
      <FormError actionData={actionData} form={`useful-${comment.id}`} />
    </Form>
  );
}

/** A disclosure (<details>) that holds a small form: opens without JavaScript, and by keyboard. */
function Disclosure({
  label,
  open,
  children,
  testId,
}: {
  label: string;
  open?: boolean;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <details className="ps-disclosure" open={open || undefined} data-testid={testId}>
      <summary className="fr-btn fr-btn--sm fr-btn--tertiary">{label}</summary>
      <div className="ps-disclosure__body">{children}</div>
    </details>
  );
}

function ReplyForm({
  parent,
  discussion,
  actionData,
}: {
  parent: CommentView;
  discussion: ProposalDiscussion;
  actionData: DiscussionActionData | undefined;
}) {
  const id = `reply-${parent.id}`;
  const [form, fields] = useForm({
    id,
    lastResult: actionData?.form === id ? actionData.result : undefined,
    constraint: getZodConstraint(replySchema),
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: replySchema }),
  });
  useResetAfter("reponse", () => form.reset());
  return (
    <Disclosure label="Répondre" open={actionData?.form === id} testId="reply-disclosure">
      <Form method="post" preventScrollReset {...getFormProps(form)}>
        <input type="hidden" name="intent" value="reply" />
        <input type="hidden" name="parentId" value={parent.id} />
        {form.errors?.length ? (
          <p className="fr-error-text" role="alert" id={form.errorId}>
            {form.errors.join(" ")}
          </p>
        ) : null}
        <p className="fr-text--xs fr-mb-1w">{HEALTH_WARNING}</p>
        <TextareaField
          meta={fields.body}
          label={`Votre réponse à ${parent.authorLabel}`}
          rows={4}
          maxLength={COMMENT_MAX}
        />
        <SignatureChoice meta={fields.signature} displayName={discussion.displayName} />
        <button className="fr-btn fr-btn--sm" type="submit">
          Publier ma réponse
        </button>
      </Form>
    </Disclosure>
  );
}

function EditForm({
  comment,
  actionData,
  reply,
}: {
  comment: CommentView;
  actionData: DiscussionActionData | undefined;
  reply: boolean;
}) {
  const id = `edit-${comment.id}`;
  const [form, fields] = useForm({
    id,
    lastResult: actionData?.form === id ? actionData.result : undefined,
    defaultValue: { body: comment.body, stance: comment.stance ?? undefined },
    constraint: getZodConstraint(editSchema),
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: editSchema }),
  });
  return (
    <Disclosure label="Modifier" open={actionData?.form === id}>
      <Form method="post" preventScrollReset {...getFormProps(form)}>
        <input type="hidden" name="intent" value="edit" />
        <input type="hidden" name="commentId" value={comment.id} />
        <p className="fr-text--xs fr-mb-1w">
          Modifiable pendant {EDIT_WINDOW_MINUTES} minutes après la publication ; le commentaire sera marqué « modifié
          ».
        </p>
        {form.errors?.length ? (
          <p className="fr-error-text" role="alert" id={form.errorId}>
            {form.errors.join(" ")}
          </p>
        ) : null}
        {!reply ? (
          <RadioGroup
            meta={fields.stance}
            legend="Votre position"
            inline
            options={STANCES.map((s) => ({ value: s, label: STANCE_LABELS[s] }))}
          />
        ) : null}
        <TextareaField meta={fields.body} label="Votre texte" rows={4} maxLength={COMMENT_MAX} />
        <button className="fr-btn fr-btn--sm" type="submit">
          Enregistrer la modification
        </button>
      </Form>
    </Disclosure>
  );
}

function DeleteForm({ comment, actionData }: { comment: CommentView; actionData: DiscussionActionData | undefined }) {
  const form = `delete-${comment.id}`;
  const [meta] = useForm(smallForm(form, deleteSchema, actionData));
  return (
    <Disclosure label="Supprimer" open={actionData?.form === form}>
      <Form method="post" preventScrollReset {...getFormProps(meta)}>
        <input type="hidden" name="intent" value="delete" />
        <input type="hidden" name="commentId" value={comment.id} />
        <p className="fr-text--sm fr-mb-1w">
          Le texte sera effacé ; les réponses resteront affichées sous la mention « commentaire supprimé ».
        </p>
        <FormError actionData={actionData} form={form} />
        <button className="fr-btn fr-btn--sm fr-btn--secondary" type="submit">
          Supprimer définitivement
        </button>
      </Form>
    </Disclosure>
  );
}

export function FlagForm({
  kind,
  id,
  reported,
  actionData,
}: {
  kind: "comment" | "contribution";
  id: string;
  reported: boolean;
  actionData: DiscussionActionData | undefined;
}) {
  const form = `report-${kind}-${id}`;
  const [meta, fields] = useForm(smallForm(form, flagSchema, actionData));
  if (reported)
    return (
      <p className="fr-text--sm fr-mb-0">
        Vous avez signalé {kind === "comment" ? "ce commentaire" : "cette contribution"}.
      </p>
    );
  return (
    <Disclosure label="Signaler" open={actionData?.form === form} testId="report-disclosure">
      <Form method="post" preventScrollReset {...getFormProps(meta)}>
        <input type="hidden" name="intent" value="report" />
        <input type="hidden" name="targetKind" value={kind} />
        <input type="hidden" name="targetId" value={id} />
        <fieldset className="fr-fieldset" aria-labelledby={`${form}-legend`}>
          <legend className="fr-fieldset__legend--regular fr-fieldset__legend" id={`${form}-legend`}>
            Motif du signalement
          </legend>
          {FLAG_REASONS.map((reason: FlagReason) => (
            <div className="fr-fieldset__element" key={reason}>
              <div className="fr-radio-group">
                <input
                  {...withoutKey(getInputProps(fields.reason, { type: "radio", value: reason }))}
                  id={`${form}-${reason}`}
                  required
                />
                <label className="fr-label" htmlFor={`${form}-${reason}`}>
                  {REASON_CHOICES[reason]}
                </label>
              </div>
            </div>
          ))}
          <FieldErrors id={fields.reason.errorId} errors={fields.reason.errors} />
        </fieldset>
        <div className="fr-input-group">
          <label className="fr-label" htmlFor={fields.details.id}>
            Précision (facultatif)
          </label>
          <input
            className="fr-input"
            {...withoutKey(getInputProps(fields.details, { type: "text" }))}
            maxLength={500}
          />
          <FieldErrors id={fields.details.errorId} errors={fields.details.errors} />
        </div>
        <FormError actionData={actionData} form={form} />
        <button className="fr-btn fr-btn--sm fr-btn--secondary" type="submit">
          Envoyer le signalement
        </button>
      </Form>
    </Disclosure>
  );
}

export function ReviewForm({
  kind,
  id,
  actionData,
}: {
  kind: "comment" | "contribution";
  id: string;
  actionData: DiscussionActionData | undefined;
}) {
  const form = `review-${kind}-${id}`;
  const [meta, fields] = useForm(smallForm(form, reviewSchema, actionData));
  return (
    <Disclosure label="Demander un réexamen" open={actionData?.form === form}>
      <Form method="post" preventScrollReset {...getFormProps(meta)}>
        <input type="hidden" name="intent" value="review" />
        <input type="hidden" name="targetKind" value={kind} />
        <input type="hidden" name="targetId" value={id} />
        <p className="fr-text--sm fr-mb-1w">
          Un modérateur examinera de nouveau le masquage. Vous ne pouvez le demander qu’une fois.
        </p>
        <div className="fr-input-group">
          <label className="fr-label" htmlFor={fields.message.id}>
            Votre message (facultatif)
          </label>
          <textarea className="fr-input" {...withoutKey(getTextareaProps(fields.message))} rows={3} maxLength={1000} />
          <FieldErrors id={fields.message.errorId} errors={fields.message.errors} />
        </div>
        <FormError actionData={actionData} form={form} />
        <button className="fr-btn fr-btn--sm" type="submit">
          Envoyer la demande
        </button>
      </Form>
    </Disclosure>
  );
}
