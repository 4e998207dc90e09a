import type { ExportFormat } from "../../db/schema";

// The report's export formats: named here, outside the server module, so pages can list them.
export const EXPORT_FORMATS = ["csv", "json", "xlsx", "pdf"] as const satisfies readonly ExportFormat[];

export const EXPORT_LABELS: Record<ExportFormat, string> = {
  csv: "CSV",
  json: "JSON",
  xlsx: "Tableur (XLSX)",
  pdf: "PDF",
};
