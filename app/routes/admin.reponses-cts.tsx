import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ctsFollowUp } from "~/answers/follow-up.server";
import { TOP_N } from "~/answers/labels";
import { formatPercent } from "~/reports/figures";
import { db } from "~/platform/db.server";
import { requireRole } from "~/web/guards.server";
import { Breadcrumb } from "~/ui/breadcrumb";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { DataTable } from "~/ui/table";

export const meta: MetaFunction = () => [{ title: "Réponses des CTS — Administration — Priorités Santé" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireRole(context, request, "admin");
  const consultations = await db()
    .selectFrom("consultations")
    .select(["id", "slug", "title"])
    .where("status", "=", "results_published")
    .orderBy("position")
    .execute();
  return {
    consultations: await Promise.all(
      consultations.map(async (c) => ({ slug: c.slug, title: c.title, territories: await ctsFollowUp(db(), c.id) })),
    ),
  };
}

export default function AdminAnswers() {
  const { consultations } = useLoaderData<typeof loader>();
  return (
    <>
      <Breadcrumb items={[{ to: "/admin", label: "Administration" }, { label: "Réponses des CTS" }]} />
      <h1>Réponses des CTS</h1>
      <p>
        Pour chaque consultation aux résultats publiés, la part des {TOP_N} premières priorités de chaque territoire
        auxquelles son conseil territorial de santé a publié une réponse.
      </p>
      {consultations.length === 0 ? <p>Aucune consultation n’a encore de résultats publiés.</p> : null}
      {consultations.map((c) => (
        <DataTable key={c.slug} id={`suivi-${c.slug}`} caption={c.title}>
          <thead>
            <tr>
              <th scope="col">CTS</th>
              <th scope="col">Premières priorités répondues</th>
              <th scope="col">Part</th>
              <th scope="col">Réponses publiées</th>
            </tr>
          </thead>
          <tbody>
            {c.territories.map((t) => (
              <tr key={t.code}>
                <td>
                  <Link to={`/consultations/${c.slug}/reponses/${encodeURIComponent(t.code)}`}>{t.name}</Link>
                </td>
                <td>{t.top ? `${t.topAnswered} sur ${t.top}` : "pas de classement"}</td>
                <td>{t.share === null ? "—" : formatPercent(t.share)}</td>
                <td>{t.answered}</td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      ))}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
