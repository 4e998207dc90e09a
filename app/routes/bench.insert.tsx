import { writeBenchRow } from "~/platform/bench-baseline.server";
import { db } from "~/platform/db.server";
import { env } from "~/platform/env.server";

// The benchmarks' baseline (npm run bench): the cheapest Remix action that writes one row, to
// compare the real vote path with. Exists only when the server runs with BENCH_BASELINE=true.

function enabled() {
  if (!env().BENCH_BASELINE) throw new Response("Page introuvable.", { status: 404 });
}

export async function loader() {
  enabled();
  return null;
}

export async function action() {
  enabled();
  await writeBenchRow(db());
  return { ok: true };
}
