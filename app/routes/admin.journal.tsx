import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { auditJournal } from "~/audit/audit.server";
import { AUDIT_KIND_LABELS, AUDIT_KINDS } from "~/audit/labels";
import { requireRole } from "~/web/guards.server";
import { db } from "~/platform/db.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { formatDateTime } from "~/ui/format";
import { Pagination } from "~/ui/pagination";
import { DataTable } from "~/ui/table";
import { Breadcrumb } from "~/ui/breadcrumb";

export const meta: MetaFunction = () => [{ title: "Journal de sécurité — Administration — Priorités Santé" }];

const querySchema = z.object({
  page: z.coerce.number().int().min(1).catch(1),
  type: z
    .enum(AUDIT_KINDS as [string, ...string[]])
    .optional()
    .catch(undefined),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireRole(context, request, "admin");
  const params = new URL(request.url).searchParams;
  const query = querySchema.parse({ page: params.get("page") ?? undefined, type: params.get("type") || undefined });
  const journal = await auditJournal(db(), {
    page: query.page,
    kind: query.type as (typeof AUDIT_KINDS)[number] | undefined,
  });
  return {
    ...journal,
    kind: query.type ?? "",
    entries: journal.entries.map((e) => ({ ...e, createdLabel: formatDateTime(e.created_at) })),
  };
}

export default function SecurityJournal() {
  const { entries, page, pageCount, total, kind } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <>
      <Breadcrumb items={[{ to: "/admin", label: "Administration" }, { label: "Journal de sécurité" }]} />
      <h1>Journal de sécurité</h1>
      <p>
        Les événements de sécurité, les plus récents d’abord ({total} {kind ? "de ce type" : "au total"}) : connexions
        échouées, accès refusés (403), limites dépassées (429), exports, changements de rôle et décisions de modération.
        Les adresses IP sont tronquées au réseau ; les événements de plus de 6 mois sont effacés chaque jour.
      </p>
      <Form method="get" className="fr-mb-3w">
        <div className="fr-select-group">
          <label className="fr-label" htmlFor="journal-type">
            Type d’événement
          </label>
          <select className="fr-select" id="journal-type" name="type" defaultValue={kind}>
            <option value="">Tous</option>
            {AUDIT_KINDS.map((k) => (
              <option key={k} value={k}>
                {AUDIT_KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="fr-btn fr-btn--secondary">
          Filtrer
        </button>
      </Form>
      <DataTable id="journal-securite" caption="Événements de sécurité">
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Type</th>
            <th scope="col">Compte</th>
            <th scope="col">Réseau</th>
            <th scope="col">Adresse</th>
            <th scope="col">Détail</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id} data-testid="audit-entry">
              <td>
                <time dateTime={e.created_at}>{e.createdLabel}</time>
              </td>
              <td>{AUDIT_KIND_LABELS[e.kind]}</td>
              <td className="ps-text">{e.user_id ?? "—"}</td>
              <td>{e.ip ?? "—"}</td>
              <td className="ps-text">{e.path ?? "—"}</td>
              <td className="ps-text">{e.detail ?? ""}</td>
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
