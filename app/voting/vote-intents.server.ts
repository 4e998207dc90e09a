import { BallotError, type ConsultationRules } from "../ballots/ballots.server";
import type { BallotContent } from "../ballots/ballot-content";
import { GRADE_LABELS } from "../tally/types";
import { INTENT_METHOD, type VoteInput } from "./vote-forms";

// What each vote button does to the ballot, and the sentence that confirms it. Pure functions of
// the current content: `changeBallot` runs them inside its locked transaction and checks the
// result (proposals of the consultation, the cap K, duplicates) before anything is written.

export interface VotedProposal {
  id: string;
  slug: string;
  title: string;
}

/**
 * The `mutate` argument of `changeBallot` for one vote. `proposals` maps the slugs the vote names
 * to this consultation's proposals (the action has already refused unknown slugs).
 */
export function mutateFor(vote: VoteInput, proposals: ReadonlyMap<string, VotedProposal>) {
  const idOf = (slug: string) => {
    const found = proposals.get(slug);
    if (!found) throw new BallotError("invalid", "Cette proposition n’appartient pas à cette consultation.");
    return found.id;
  };
  return (current: BallotContent | null, rules: ConsultationRules): unknown => {
    const method = INTENT_METHOD[vote.intent];
    if (method && method !== rules.method) {
      throw new BallotError("invalid", "Ce formulaire ne correspond pas au mode de vote de cette consultation.");
    }
    const selections = current && "selections" in current ? current.selections : [];
    const grades = current && "grades" in current ? current.grades : {};
    const order = current && "order" in current ? current.order : [];
    switch (vote.intent) {
      case "approve": {
        const id = idOf(vote.proposal);
        return { selections: selections.includes(id) ? selections : [...selections, id] };
      }
      case "unapprove": {
        const id = idOf(vote.proposal);
        return { selections: selections.filter((s) => s !== id) };
      }
      case "grade":
        return { grades: { ...grades, [idOf(vote.proposal)]: vote.grade } };
      case "ungrade": {
        const id = idOf(vote.proposal);
        return { grades: Object.fromEntries(Object.entries(grades).filter(([p]) => p !== id)) };
      }
      case "rank-add": {
        const id = idOf(vote.proposal);
        return { order: order.includes(id) ? order : [...order, id] };
      }
      case "rank-remove": {
        const id = idOf(vote.proposal);
        return { order: order.filter((o) => o !== id) };
      }
      case "rank-move": {
        const id = idOf(vote.proposal);
        const from = order.indexOf(id);
        if (from < 0)
          throw new BallotError(
            "invalid",
            "Cette proposition ne figure pas dans votre classement : ajoutez-la d’abord.",
          );
        const next = order.filter((o) => o !== id);
        // A place beyond the ends means the end: moving the last one down changes nothing.
        next.splice(Math.min(vote.to, order.length) - 1, 0, id);
        return { order: next };
      }
      case "rank-order":
        return { order: vote.order.map(idOf) };
      case "withdraw":
        return null;
    }
  };
}

/** "1re", "2e", "3e"… (position is feminine). */
export function ordinal(n: number): string {
  return n === 1 ? "1re" : `${n}e`;
}

function quote(title: string): string {
  const short = title.length > 90 ? `${title.slice(0, 90).replace(/\s+\S*$/, "")}…` : title;
  return `« ${short} »`;
}

/** The sentence shown on screen and announced to screen readers once the ballot has changed. */
export function confirmation(
  vote: VoteInput,
  change: { outcome: "cast" | "changed" | "withdrawn" | "unchanged"; content: BallotContent | null },
  rules: ConsultationRules,
  proposals: ReadonlyMap<string, VotedProposal>,
): string {
  const content = change.content;
  const count = content && "selections" in content ? content.selections.length : 0;
  const order = content && "order" in content ? content.order : [];
  const title = "proposal" in vote ? quote(proposals.get(vote.proposal)?.title ?? vote.proposal) : "";
  switch (vote.intent) {
    case "approve":
      return change.outcome === "unchanged"
        ? `Cette proposition fait déjà partie de vos priorités (${count} sur ${rules.k})`
        : `Proposition ajoutée à vos priorités (${count} sur ${rules.k})`;
    case "unapprove":
      return `Proposition retirée de vos priorités (${count} sur ${rules.k})`;
    case "grade":
      return `Mention « ${GRADE_LABELS[vote.grade]} » enregistrée`;
    case "ungrade":
      return "Mention retirée";
    case "rank-add":
    case "rank-move": {
      const id = proposals.get(vote.proposal)?.id;
      const place = id ? order.indexOf(id) + 1 : 0;
      return place > 0
        ? `Classement mis à jour : ${title} en ${ordinal(place)} position sur ${order.length}`
        : "Classement mis à jour";
    }
    case "rank-remove":
      return `Classement mis à jour : ${title} retirée (${order.length} sur ${rules.k} classées)`;
    case "rank-order":
      return "Classement mis à jour";
    case "withdraw":
      return change.outcome === "unchanged" ? "Vous n’aviez pas de vote à retirer" : "Vote retiré";
  }
}
