import { Link } from "@remix-run/react";
import { THEME_SHORT } from "../catalogue/themes";
import { voteAnchor } from "./vote-controls";
import type { GradingProgress } from "./voting.server";

/**
 * Majority judgment over many proposals, made finishable: the rule for proposals left without a
 * grade said first, how many are graded, and a link to the first one still waiting, theme by theme.
 * Plain links and server counts: it works the same without JavaScript.
 */
export function GradingGuide({ progress }: { progress: GradingProgress }) {
  const { graded, total, next } = progress;
  return (
    <div className="fr-callout fr-callout--blue-ecume fr-mb-3w" data-testid="grading-guide">
      <h3 className="fr-callout__title fr-h6">Évaluer thème par thème</h3>
      <p className="fr-callout__text fr-text--md">
        Vous n’êtes pas obligé·e de tout évaluer.{" "}
        <strong>Une proposition sans mention ne compte pas dans votre vote</strong> : elle ne reçoit de vous ni « Pas
        prioritaire » ni aucune autre mention, et son classement se fait avec les avis des autres. Évaluez les thèmes
        qui vous importent ; votre vote est enregistré à chaque mention.
      </p>
      <p className="fr-text--bold fr-mb-1w" data-testid="grading-progress">
        {graded} sur {total} évaluée{graded > 1 ? "s" : ""}
      </p>
      <progress className="ps-progress" max={total} value={graded} aria-label="Propositions évaluées" />
      {next ? (
        <p className="fr-mt-2w fr-mb-0">
          <Link
            className="fr-btn fr-btn--sm fr-icon-arrow-right-line fr-btn--icon-right"
            to={`?theme=${next.theme}&page=${next.page}#${voteAnchor(next.slug)}`}
            data-testid="grading-next"
          >
            {graded === 0 ? "Commencer" : "Reprendre"} : {THEME_SHORT[next.theme]}, page {next.page}
          </Link>
        </p>
      ) : (
        <p className="fr-mt-2w fr-mb-0">
          Vous avez évalué toutes les propositions. Vous pouvez encore changer vos mentions.
        </p>
      )}
    </div>
  );
}
