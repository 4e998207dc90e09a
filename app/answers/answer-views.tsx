import { Form, Link, useSearchParams } from "@remix-run/react";
import type { AnswerStatus } from "../../db/schema";
import { formatDate } from "../ui/format";
import { AnswerText } from "./answer-text";
import { ANSWER_STATUS_BADGES, ANSWER_STATUS_LABELS } from "./labels";

// Pieces of the answers feature shown on other pages (proposal, results, account, ballot).

interface VersionView {
  version: number;
  status: AnswerStatus;
  justification: string;
  planReference: string | null;
  planUrl: string | null;
  nextStep: string | null;
  answeredOn: string;
  dueOn: string | null;
  publishedAt: string | null;
}

export function AnswerBadge({ status }: { status: AnswerStatus }) {
  return (
    <span
      className={`fr-badge fr-badge--sm fr-badge--no-icon ${ANSWER_STATUS_BADGES[status]}`}
      data-testid="answer-status"
    >
      {ANSWER_STATUS_LABELS[status]}
    </span>
  );
}

/** One version of an answer: status, justification, the plan it joins, next step, dates. */
export function AnswerBody({ answer }: { answer: VersionView }) {
  return (
    <>
      <p className="fr-mb-1w">
        <AnswerBadge status={answer.status} />{" "}
        <span className="fr-text--sm">Réponse du {formatDate(answer.answeredOn)}</span>
      </p>
      <AnswerText text={answer.justification} />
      {answer.planReference ? (
        <p className="fr-text--sm">
          S’inscrit dans :{" "}
          {answer.planUrl ? (
            <a href={answer.planUrl} rel="noopener">
              {answer.planReference}
            </a>
          ) : (
            answer.planReference
          )}
        </p>
      ) : null}
      {answer.nextStep ? <p className="fr-text--sm">Contact ou prochaine étape : {answer.nextStep}</p> : null}
      {answer.dueOn ? <p className="fr-text--sm">Échéance annoncée : {formatDate(answer.dueOn)}</p> : null}
    </>
  );
}

/** Earlier published versions ("modifiée le …"), newest first, folded. */
export function AnswerHistory({ current, history }: { current: VersionView; history: VersionView[] }) {
  if (!history.length) return null;
  return (
    <details className="fr-mt-1w">
      <summary>
        Modifiée le {formatDate(current.publishedAt ?? current.answeredOn)} — voir les versions précédentes (
        {history.length})
      </summary>
      {history.map((v) => (
        <div key={v.version} className="fr-pl-2w fr-mt-1w" data-testid="answer-history-version">
          <p className="fr-text--xs fr-mb-0">Version publiée le {formatDate(v.publishedAt ?? v.answeredOn)}</p>
          <AnswerBody answer={v} />
        </div>
      ))}
    </details>
  );
}

/** The proposal page's section: the reader's CTS first, then the others. */
export function ProposalAnswers({
  consultationSlug,
  answers,
}: {
  consultationSlug: string;
  answers: { ctsCode: string; ctsName: string; own: boolean; current: VersionView; history: VersionView[] }[];
}) {
  if (!answers.length) return null;
  return (
    <section className="fr-mb-4w" aria-labelledby="reponses-cts" id="reponses">
      <h2 className="fr-h4" id="reponses-cts">
        Réponses des conseils territoriaux de santé
      </h2>
      {answers.map((a) => (
        <article key={a.ctsCode} className="fr-card fr-card--no-arrow fr-p-3w fr-mb-2w" data-testid="proposal-answer">
          <h3 className="fr-h6 fr-mb-1w">
            CTS {a.ctsName}
            {a.own ? " (votre territoire)" : ""}
          </h3>
          <AnswerBody answer={a.current} />
          <AnswerHistory current={a.current} history={a.history} />
          <p className="fr-text--sm fr-mb-0">
            <Link to={`/consultations/${consultationSlug}/reponses/${encodeURIComponent(a.ctsCode)}`}>
              Toutes les réponses du CTS {a.ctsName}
            </Link>
          </p>
        </article>
      ))}
    </section>
  );
}

/** The wish to be told of the CTS's answers, as a form that works without JavaScript. */
export function NoticeWishForm({ on, back }: { on: boolean; back: string }) {
  const [searchParams] = useSearchParams();
  const saved = searchParams.get("avis");
  return (
    <Form method="post" action="/mon-compte/reponses-cts" id="avis-reponses">
      {saved ? (
        <div className="fr-alert fr-alert--success fr-alert--sm fr-mb-2w" role="status">
          <p>
            {saved === "oui"
              ? "C’est noté : vous serez prévenu·e par e-mail des réponses du CTS aux propositions que vous choisissez."
              : "C’est noté : vous ne serez plus prévenu·e, et ce qui était gardé pour cela est effacé."}
          </p>
        </div>
      ) : null}
      <input type="hidden" name="back" value={back} />
      <div className="fr-checkbox-group fr-mb-2w">
        <input type="checkbox" id="notify" name="notify" value="on" defaultChecked={on} />
        <label className="fr-label" htmlFor="notify">
          Me prévenir par e-mail quand le conseil territorial de santé répond aux propositions que j’ai choisies
          <span className="fr-hint-text">
            Un e-mail par consultation et par publication des réponses. Pour cela, nous gardons la liste des
            propositions que vous avez choisies après la clôture du vote (voir « Données personnelles »).
          </span>
        </label>
      </div>
      <button className="fr-btn fr-btn--secondary fr-btn--sm" type="submit">
        Enregistrer mon choix
      </button>
    </Form>
  );
}

/** The results page's section: each CTS's first ten priorities with their answer status. */
export function CtsAnswersOverview({
  consultationSlug,
  territories,
}: {
  consultationSlug: string;
  territories: {
    code: string;
    name: string;
    top: { slug: string; title: string; rank: number; status: AnswerStatus | null }[];
  }[];
}) {
  return (
    <section aria-labelledby="suites-cts" className="fr-mb-6w">
      <h2 id="suites-cts">Ce que les CTS ont fait de ces priorités</h2>
      {/* Closed by default: on a phone the lists of every CTS are several screens long. */}
      <details className="ps-more">
        <summary className="fr-link">{`Les réponses de chaque CTS à ses premières priorités (${territories.length} CTS)`}</summary>
        <div className="ps-more__body fr-grid-row fr-grid-row--gutters">
          {territories.map((t) => (
            <div className="fr-col-12 fr-col-md-6" key={t.code} data-testid="cts-answers-overview">
              <h3 className="fr-h6">
                <Link to={`/consultations/${consultationSlug}/reponses/${encodeURIComponent(t.code)}`}>
                  {t.name} : réponses du conseil territorial de santé
                </Link>
              </h3>
              {t.top.length ? (
                <ol className="fr-text--sm">
                  {t.top.map((p) => (
                    <li key={p.slug}>
                      {p.title} — {p.status ? <AnswerBadge status={p.status} /> : <em>pas encore de réponse</em>}
                    </li>
                  ))}
                </ol>
              ) : (
                <p className="fr-text--sm">Trop peu de bulletins pour un classement.</p>
              )}
            </div>
          ))}
        </div>
      </details>
      <p className="fr-text--sm">
        Données ouvertes :{" "}
        <a href={`/consultations/${consultationSlug}/donnees-reponses.csv`}>toutes les réponses (CSV)</a> et{" "}
        <a href={`/api/v1/consultations/${consultationSlug}/answers`}>l’API JSON</a>, avec l’historique des versions.
      </p>
    </section>
  );
}

/** The CTS report page's section: each answered proposal, in the territory's rank order. */
export function ReportAnswersSection({
  answers,
  rows,
  publicHref,
}: {
  answers: Record<string, VersionView & { statusLabel: string }>;
  rows: { id: string; title: string; rank: number | null }[];
  publicHref: string;
}) {
  const answered = rows.filter((r) => answers[r.id]);
  return (
    <section className="fr-mb-6w" aria-labelledby="reponses-du-cts">
      <h2 id="reponses-du-cts">Réponses du CTS</h2>
      {answered.length ? (
        <ol className="ps-plain-list">
          {answered.map((r) => (
            <li key={r.id} className="fr-mb-3w" data-testid="report-answer">
              <p className="fr-mb-1w">
                <strong>{r.rank === null ? "Non classée." : `${r.rank}.`}</strong> {r.title}
              </p>
              <AnswerBody answer={answers[r.id]!} />
            </li>
          ))}
        </ol>
      ) : (
        <p>Le CTS n’a pas encore publié de réponse.</p>
      )}
      <p>
        <Link to={publicHref}>Ce que le CTS a fait de vos priorités (page publique)</Link>
      </p>
    </section>
  );
}
