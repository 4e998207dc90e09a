// The report's rankings by assurance level (docs/domain.md#rankings-by-level).
import { DataTable } from "../ui/table";
import { formatNumber } from "../ui/format";
import type { CtsReport } from "./cts-report.server";

export function LevelsSection({ report }: { report: Pick<CtsReport, "levels" | "state"> }) {
  const { levels } = report;
  if (report.state !== "ranked") return null;
  const groups = levels.groups;
  const rankOf = groups.map((g) => new Map(g.rankings.raw.map((r) => [r.slug, r.rank])));
  const rows = groups[0]?.rankings.raw ?? [];
  const table = (id: string, caption: string, shown: typeof rows) => (
    <DataTable id={id} caption={caption}>
      <thead>
        <tr>
          <th scope="col">Proposition</th>
          {groups.map((g) => (
            <th scope="col" key={g.group}>
              {g.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {shown.map((r) => (
          <tr key={r.slug}>
            <th scope="row">{r.title}</th>
            {rankOf.map((m, i) => (
              <td key={groups[i]!.group}>{groups[i]!.ballots === null ? "—" : (m.get(r.slug) ?? "—")}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </DataTable>
  );
  return (
    <section aria-labelledby="niveaux">
      <h2 id="niveaux">Par niveau de garantie</h2>
      <p>{levels.unavailable ?? levels.sentence}</p>
      {levels.unavailable ? null : (
        <>
          <ul>
            {groups.map((g) => (
              <li key={g.group}>
                {g.label} :{" "}
                {g.ballots === null ? g.withheld : `${formatNumber(g.ballots)} bulletin${g.ballots > 1 ? "s" : ""}`}
              </li>
            ))}
          </ul>
          {table(
            "niveaux-dix",
            "Les dix premières priorités, rang de chacune selon le niveau de garantie (sans pondération)",
            rows.slice(0, 10),
          )}
          <details>
            <summary>Toutes les propositions, par niveau</summary>
            {table(
              "niveaux-tout",
              "Toutes les propositions, rang de chacune selon le niveau de garantie (sans pondération)",
              rows,
            )}
          </details>
        </>
      )}
    </section>
  );
}
