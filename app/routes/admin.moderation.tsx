import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireRole } from "~/web/guards.server";
import { ACTION_LABELS, REASON_LABELS } from "~/comments/labels";
import { moderationLog } from "~/moderation/moderation.server";
import type { FlagReason } from "../../db/schema";
import { db } from "~/platform/db.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { Pagination } from "~/ui/pagination";
import { DataTable } from "~/ui/table";
import { Breadcrumb } from "~/ui/breadcrumb";

export const meta: MetaFunction = () => [{ title: "Journal de modération — Administration — Priorités Santé" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireRole(context, request, "admin");
  const page = Number(new URL(request.url).searchParams.get("page") ?? "1");
  return moderationLog(db(), { page: Number.isInteger(page) && page > 0 ? page : 1 });
}

const KIND = { comment: "Commentaire", contribution: "Contribution", association: "Association" } as const;

export default function ModerationLog() {
  const { entries, page, pageCount, total } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <>
      <Breadcrumb items={[{ to: "/admin", label: "Administration" }, { label: "Journal de modération" }]} />
      <h1>Journal de modération</h1>
      <p>
        Toutes les décisions de modération et de vérification des associations, les plus récentes d’abord ({total} au
        total) : qui, quand, quoi et pourquoi. Le journal ne s’efface pas.
      </p>
      <DataTable id="journal-moderation" caption="Actions de modération">
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Par</th>
            <th scope="col">Action</th>
            <th scope="col">Élément</th>
            <th scope="col">Motif et précision</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id} data-testid="log-entry">
              <td>
                <time dateTime={e.created_at}>{e.createdLabel}</time>
              </td>
              <td className="ps-text">{e.actor_label}</td>
              <td>{ACTION_LABELS[e.action]}</td>
              <td>
                {e.target_kind === "association" ? (
                  e.association_slug ? (
                    <Link to={`/associations/${e.association_slug}`}>{e.association_name}</Link>
                  ) : (
                    <span className="ps-text">{e.association_name ?? "Association"}</span>
                  )
                ) : e.proposal_slug && e.consultation_slug ? (
                  <Link
                    to={`/consultations/${e.consultation_slug}/propositions/${e.proposal_slug}#${e.target_kind === "comment" ? "commentaire" : "contribution"}-${e.target_id}`}
                  >
                    {KIND[e.target_kind]} sur « {e.proposal_title} »
                  </Link>
                ) : (
                  KIND[e.target_kind]
                )}
                {e.region_name ? ` (${e.region_name})` : ""}
                {e.author || e.excerpt ? (
                  <p className="fr-text--sm fr-mb-0 ps-text" data-testid="log-excerpt">
                    {e.author ? `par ${e.author}` : ""}
                    {e.author && e.excerpt ? " : " : ""}
                    {e.excerpt ? `« ${e.excerpt} »` : ""}
                  </p>
                ) : null}
              </td>
              <td className="ps-text">
                {e.reason ? (e.reason in REASON_LABELS ? REASON_LABELS[e.reason as FlagReason] : e.reason) : ""}
                {e.note ? `${e.reason ? " — " : ""}${e.note}` : ""}
              </td>
            </tr>
          ))}
        </tbody>
      </DataTable>
      <Pagination page={page} pageCount={pageCount} params={params} />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
