import { sourceReport } from "./source-reports";
import { THEME_SHORT } from "./themes";
import type { Theme } from "../../db/schema";

/**
 * Where an entry comes from, as a resident can look it up: the report's title, the ARS that
 * published it and the section, never a file name.
 */
export function SourceProvenance({
  source,
}: {
  source: {
    file: string;
    section: string;
    mentions: number | null;
    departement_code: string | null;
    departement_name: string | null;
    theme: Theme | null;
  };
}) {
  const report = sourceReport(source.file);
  return (
    <>
      <cite>{report.title}</cite>, {report.publisher}
      {report.date ? ` (${report.date})` : ""}, rubrique « {source.section} »
      {source.theme ? ` (partie « ${THEME_SHORT[source.theme]} »)` : ""}
      {source.mentions !== null ? (
        <>
          {" "}
          — <strong data-testid="source-mentions">citée {source.mentions} fois</strong> (nombre de contributions
          relevées dans le rapport)
        </>
      ) : (
        " — le rapport ne donne pas de nombre de citations pour cette proposition"
      )}
      {source.departement_name ? ` — ${source.departement_name} (${source.departement_code})` : ""}
    </>
  );
}
