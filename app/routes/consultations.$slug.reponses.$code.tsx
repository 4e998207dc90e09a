import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ctsRanking, publishedAnswers } from "~/answers/answers.server";
import { answersArePublic } from "~/answers/open-data.server";
import { AnswerBody, AnswerHistory } from "~/answers/answer-views";
import { ANSWER_STATUS_LABELS, ANSWER_STATUSES, TOP_N } from "~/answers/labels";
import { findReportConsultation, findReportTerritory } from "~/reports/cts-report.server";
import { db } from "~/platform/db.server";
import { Breadcrumb } from "~/ui/breadcrumb";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { formatNumber } from "~/ui/format";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `Ce que le CTS ${data.territory.name} a fait de vos priorités — Priorités Santé`
      : "Réponses du CTS — Priorités Santé",
  },
];

export async function loader({ params }: LoaderFunctionArgs) {
  const consultation = await findReportConsultation(db(), params.slug ?? "");
  if (!consultation) throw new Response("Cette consultation n’existe pas.", { status: 404 });
  const territory = await findReportTerritory(db(), consultation, params.code ?? "");
  if (!territory)
    throw new Response("Ce territoire de CTS n’existe pas ou n’est pas concerné par cette consultation.", {
      status: 404,
    });
  if (!answersArePublic(consultation)) {
    throw new Response(
      "Les résultats de cette consultation ne sont pas encore publiés : le CTS n’a pas encore répondu.",
      {
        status: 404,
      },
    );
  }
  const [ranking, answers] = await Promise.all([
    ctsRanking(db(), consultation, territory.code),
    publishedAnswers(db(), { consultationId: consultation.id, ctsCode: territory.code }),
  ]);
  const rows = ranking.rows.map((r) => {
    const answer = answers.get(r.id)?.[0] ?? null;
    return {
      slug: r.slug,
      title: r.title,
      rank: r.rank,
      current: answer?.current ?? null,
      history: answer?.history ?? [],
    };
  });
  const counts = ANSWER_STATUSES.map((s) => ({
    status: s,
    count: rows.filter((r) => r.current?.status === s).length,
  }));
  return {
    consultation: { slug: consultation.slug, title: consultation.title },
    territory,
    ballots: ranking.ballots,
    counts,
    answered: rows.filter((r) => r.current).length,
    silent: rows.filter((r) => r.rank !== null && r.rank <= TOP_N && !r.current),
    // The ranked proposals, and the others that got an answer all the same.
    rows: rows.filter((r) => r.rank !== null || r.current),
  };
}

export default function CtsAnswersPage() {
  const { consultation, territory, ballots, counts, answered, silent, rows } = useLoaderData<typeof loader>();
  const slug = consultation.slug;
  return (
    <>
      <Breadcrumb
        items={[
          { to: "/consultations", label: "Consultations" },
          { to: `/consultations/${slug}`, label: consultation.title },
          { to: `/consultations/${slug}/resultats`, label: "Résultats" },
          { label: `CTS ${territory.name}` },
        ]}
      />
      <h1>Ce que le CTS {territory.name} a fait de vos priorités</h1>
      <p className="fr-text--lead">{consultation.title}</p>
      <p>
        Le classement des {formatNumber(ballots)} bulletin{ballots > 1 ? "s" : ""} du territoire, et la réponse du
        conseil territorial de santé à chaque proposition. {answered} proposition{answered > 1 ? "s ont" : " a"} reçu
        une réponse.
      </p>
      <ul className="fr-badges-group fr-mb-3w" aria-label="Réponses par suite donnée" data-testid="answer-counts">
        {counts.map((c) => (
          <li key={c.status}>
            <span className="fr-badge fr-badge--no-icon">
              {ANSWER_STATUS_LABELS[c.status]} : {c.count}
            </span>
          </li>
        ))}
      </ul>
      {silent.length ? (
        <div className="fr-callout fr-mb-4w" data-testid="without-answer">
          <h2 className="fr-callout__title fr-h6">Parmi les {TOP_N} premières priorités, encore sans réponse</h2>
          <ul className="fr-callout__text fr-text--md">
            {silent.map((s) => (
              <li key={s.slug}>
                {s.rank}. <Link to={`/consultations/${slug}/propositions/${s.slug}`}>{s.title}</Link>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <h2 className="fr-h4">Le classement et les réponses</h2>
      <ol className="ps-plain-list">
        {rows.map((r) => (
          <li key={r.slug} className="fr-mb-3w fr-pb-2w ps-answer-row" data-testid="ranking-answer">
            <div className="fr-grid-row fr-grid-row--gutters">
              <div className="fr-col-12 fr-col-md-5">
                <p className="fr-mb-1w">
                  <strong>{r.rank !== null ? `${r.rank}.` : "Non classée."}</strong>{" "}
                  <Link to={`/consultations/${slug}/propositions/${r.slug}`}>{r.title}</Link>
                </p>
              </div>
              <div className="fr-col-12 fr-col-md-7">
                {r.current ? (
                  <>
                    <AnswerBody answer={r.current} />
                    <AnswerHistory current={r.current} history={r.history} />
                  </>
                ) : (
                  <p className="fr-text--sm">Pas encore de réponse du CTS.</p>
                )}
              </div>
            </div>
          </li>
        ))}
      </ol>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
