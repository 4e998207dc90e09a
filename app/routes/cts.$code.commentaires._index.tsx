import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireCtsAccess } from "~/web/access.server";
import { STATUS_LABELS } from "~/catalogue/themes";
import { db } from "~/platform/db.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Commentaires — CTS ${data.cts.name} — Priorités Santé` : "Commentaires du CTS — Priorités Santé" },
];

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const code = params.code ?? "";
  requireCtsAccess(context, request, code);
  const cts = await db()
    .selectFrom("cts_territories")
    .select(["code", "name", "region_code"])
    .where("code", "=", code)
    .executeTakeFirst();
  if (!cts) throw new Response("Ce territoire de CTS n’existe pas.", { status: 404 });
  const consultations = await db()
    .selectFrom("consultations as c")
    .select((eb) => [
      "c.slug",
      "c.title",
      "c.status",
      eb
        .selectFrom("comments as m")
        .whereRef("m.consultation_id", "=", "c.id")
        .where("m.cts_code", "=", code)
        .where("m.deleted_at", "is", null)
        .where("m.moderation", "=", "visible")
        .select(eb.fn.countAll<number>().as("n"))
        .as("comments"),
    ])
    .where("c.region_code", "=", cts.region_code)
    .where("c.status", "!=", "brouillon")
    .where((eb) => eb.or([eb("c.cts_code", "is", null), eb("c.cts_code", "=", code)]))
    .orderBy("c.position")
    .execute();
  return {
    cts: { code: cts.code, name: cts.name },
    consultations: consultations.map((c) => ({ ...c, comments: Number(c.comments ?? 0) })),
  };
}

export default function CtsComments() {
  const { cts, consultations } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Commentaires du CTS {cts.name}</h1>
      <p>
        Les commentaires écrits par les habitants de votre territoire et les contributions des associations qui y
        agissent, par consultation : consultez-les et exportez-les (CSV pour un tableur, JSON).
      </p>
      {consultations.length === 0 ? <p>Aucune consultation dans votre région pour l’instant.</p> : null}
      <ul>
        {consultations.map((c) => (
          <li key={c.slug}>
            <Link to={`/cts/${encodeURIComponent(cts.code)}/commentaires/${c.slug}`}>{c.title}</Link> —{" "}
            {STATUS_LABELS[c.status]}, {c.comments} commentaire{c.comments > 1 ? "s" : ""} de votre territoire
          </li>
        ))}
      </ul>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
