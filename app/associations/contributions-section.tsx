import { Link } from "@remix-run/react";
import { FlagForm, ReviewForm } from "../comments/comment-section";
import { REASON_LABELS, REVIEW_NOTICES } from "../comments/labels";
import { PlainText } from "../comments/plain-text";
import type { DiscussionActionData } from "../comments/forms";
import type { ProposalDiscussion } from "../comments/discussion.server";

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} o`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} Ko`;
  return `${(bytes / (1024 * 1024)).toLocaleString("fr-FR", { maximumFractionDigits: 1 })} Mo`;
}

/** The "Contributions des associations" section of a proposal page: their own channel, apart from residents' comments. */
export function ContributionsSection({
  discussion,
  actionData,
  contributeHref,
  justPublished,
}: {
  discussion: ProposalDiscussion;
  actionData: DiscussionActionData | undefined;
  contributeHref: string;
  /** The id in `?publiee=`: the association lands on its contribution, told it is published. */
  justPublished?: string | null;
}) {
  const { contributions } = discussion;
  return (
    <section id="contributions" aria-labelledby="contributions-titre" className="fr-mt-6w">
      <h2 id="contributions-titre">Contributions des associations</h2>
      <p className="fr-text--sm">
        Des associations vérifiées par l’ARS (associations d’usagers du système de santé, notamment) publient ici leur
        avis argumenté. Elles ne votent pas : leurs contributions ne comptent pas dans le classement des habitants.{" "}
        <Link to="/associations">Les associations inscrites</Link>
      </p>
      {discussion.isAssociation && discussion.open ? (
        <p>
          <Link className="fr-btn fr-btn--secondary fr-icon-edit-line fr-btn--icon-left" to={contributeHref}>
            Rédiger une contribution de votre association
          </Link>
        </p>
      ) : null}
      {contributions.length === 0 ? (
        <p>Aucune contribution d’association pour l’instant.</p>
      ) : (
        <ul className="ps-plain-list">
          {contributions.map((c) => (
            <li key={c.id} id={`contribution-${c.id}`} className="ps-contribution fr-mb-3w" data-testid="contribution">
              {c.mine && c.id === justPublished ? (
                <div className="fr-alert fr-alert--success fr-alert--sm fr-mb-2w" role="status">
                  <p>
                    {c.state === "visible"
                      ? "Votre contribution est publiée : la voici telle que tout le monde la lit."
                      : "Votre contribution est enregistrée ; elle attend l’examen de la modération avant d’être lue de tous."}{" "}
                    <Link to="/espace-association">Revenir à votre espace</Link>
                  </p>
                </div>
              ) : null}
              <article aria-labelledby={`contribution-${c.id}-titre`}>
                <p className="fr-mb-1w">
                  <span className="fr-badge fr-badge--sm fr-badge--purple-glycine fr-mr-1w">Association vérifiée</span>
                  <Link to={`/associations/${c.association.slug}`} data-testid="contribution-association">
                    {c.association.name}
                  </Link>
                  {c.association.agrement ? (
                    <span className="fr-text--xs"> · agrément {c.association.agrement}</span>
                  ) : null}
                </p>
                <p className="fr-text--xs fr-mb-1w">
                  Territoires : {c.association.territories.join(", ")} · publiée le {c.publishedLabel}
                </p>
                {c.state === "visible" ? (
                  <>
                    <h3 className="fr-h6 fr-mb-1w" id={`contribution-${c.id}-titre`}>
                      {c.title}
                    </h3>
                    <PlainText text={c.body} />
                    {c.file ? (
                      <p>
                        <a
                          className="fr-link fr-icon-download-line fr-link--icon-left"
                          href={`/pieces-jointes/${c.file.id}`}
                          download
                        >
                          Télécharger la pièce jointe{" "}
                          <span className="fr-text--xs">
                            ({c.file.filename}, PDF, {formatSize(c.file.size)})
                          </span>
                        </a>
                      </p>
                    ) : null}
                  </>
                ) : (
                  <>
                    <h3 className="fr-h6 fr-mb-1w" id={`contribution-${c.id}-titre`}>
                      Contribution masquée
                    </h3>
                    <p className="ps-comment__placeholder">
                      {c.state === "hidden"
                        ? `Masquée par la modération : ${c.hiddenReason ? REASON_LABELS[c.hiddenReason] : "contenu contraire à la charte"}.`
                        : "Contribution masquée en attente d’examen par la modération."}
                    </p>
                    {c.mine && c.title ? (
                      <div className="ps-comment__own-hidden">
                        <p className="fr-text--sm fr-mb-1w">Votre texte, visible par vous seul·e : {c.title}</p>
                        <PlainText text={c.body} />
                      </div>
                    ) : null}
                  </>
                )}
                <div className="ps-comment__actions">
                  {c.state === "visible" && discussion.signedIn && !c.mine ? (
                    <FlagForm kind="contribution" id={c.id} reported={c.flaggedByMe} actionData={actionData} />
                  ) : null}
                  {c.canReview ? <ReviewForm kind="contribution" id={c.id} actionData={actionData} /> : null}
                  {c.mine && c.review !== "none" ? (
                    <p className="fr-text--sm fr-mb-0">{REVIEW_NOTICES[c.review]}</p>
                  ) : null}
                </div>
              </article>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
