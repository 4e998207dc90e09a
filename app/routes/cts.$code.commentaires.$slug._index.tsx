import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireCtsAccess } from "~/web/access.server";
import { buildCtsExport, ctsExportCsv, previewRows } from "~/comments/cts-export.server";
import { PlainText } from "~/comments/plain-text";
import { db } from "~/platform/db.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { DownloadLink } from "~/ui/download-link";
import { DataTable } from "~/ui/table";
import { Breadcrumb } from "~/ui/breadcrumb";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `Export des commentaires — CTS ${data.cts.name} — Priorités Santé`
      : "Export des commentaires — Priorités Santé",
  },
];

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const code = params.code ?? "";
  requireCtsAccess(context, request, code);
  const exported = await buildCtsExport(db(), { ctsCode: code, consultationSlug: params.slug ?? "" });
  if (!exported) throw new Response("Cette consultation ne concerne pas ce territoire de CTS.", { status: 404 });
  return {
    cts: exported.cts,
    consultation: exported.consultation,
    counts: { comments: exported.comments.length, contributions: exported.contributions.length },
    rows: previewRows(exported),
    // Exact: the same builder the export routes serve, measured in bytes.
    sizes: {
      csv: Buffer.byteLength(ctsExportCsv(exported), "utf8"),
      json: Buffer.byteLength(JSON.stringify(exported, null, 2), "utf8"),
    },
  };
}

export default function CtsExportPreview() {
  const { cts, consultation, counts, rows, sizes } = useLoaderData<typeof loader>();
  const base = `/cts/${encodeURIComponent(cts.code)}/commentaires/${consultation.slug}/export`;
  return (
    <>
      <Breadcrumb
        items={[
          { to: `/cts/${encodeURIComponent(cts.code)}/commentaires`, label: `CTS ${cts.name}` },
          { label: consultation.title },
        ]}
      />
      <h1>Commentaires et contributions — CTS {cts.name}</h1>
      <p>
        {consultation.title} : {counts.comments} commentaire{counts.comments > 1 ? "s" : ""} et réponse
        {counts.comments > 1 ? "s" : ""} écrits depuis votre territoire, {counts.contributions} contribution
        {counts.contributions > 1 ? "s" : ""} d’associations qui y agissent. Les éléments masqués par la modération ne
        sont pas repris ; les auteurs figurent par leur nom public (ou « un·e habitant·e »), jamais par leur adresse
        électronique.
      </p>
      <ul className="ps-plain-list">
        <li className="fr-mb-1w">
          <DownloadLink
            href={`${base}.csv`}
            label="Télécharger les commentaires et contributions"
            format="CSV"
            bytes={sizes.csv}
          />
        </li>
        <li>
          <DownloadLink
            href={`${base}.json`}
            label="Télécharger les commentaires et contributions"
            format="JSON"
            bytes={sizes.json}
          />
        </li>
      </ul>
      <p className="fr-text--sm">
        Le CSV (UTF-8, séparateur point-virgule) s’ouvre dans un tableur ; toute cellule qui commence par =, +, -, @ ou
        un caractère de contrôle y est précédée d’une apostrophe, pour qu’aucune formule ne s’exécute.
      </p>
      <DataTable id="apercu-export" caption="Aperçu de l’export">
        <thead>
          <tr>
            <th scope="col">Type</th>
            <th scope="col">Proposition</th>
            <th scope="col">Position</th>
            <th scope="col">Texte</th>
            <th scope="col">Auteur</th>
            <th scope="col">Arrondissement</th>
            <th scope="col">Date</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-testid="export-row">
              <td>{r.kind}</td>
              <td>{r.proposalTitle}</td>
              <td>{r.stance}</td>
              <td className="ps-export-text">
                {r.title ? <strong className="ps-text">{r.title}</strong> : null}
                <PlainText text={r.text} />
              </td>
              <td className="ps-text">{r.author}</td>
              <td>{r.place}</td>
              <td>{r.date}</td>
            </tr>
          ))}
        </tbody>
      </DataTable>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
