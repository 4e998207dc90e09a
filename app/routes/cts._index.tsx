import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/web/guards.server";
import { readableCts } from "~/reports/dashboard.server";
import { db } from "~/platform/db.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";

export const meta: MetaFunction = () => [{ title: "Espace CTS — Priorités Santé" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const territories = await readableCts(db(), user);
  if (!territories.length)
    throw new Response("Cet espace est réservé aux membres des conseils territoriaux de santé.", { status: 403 });
  // A member of one CTS goes straight to it.
  if (territories.length === 1) throw redirect(`/cts/${encodeURIComponent(territories[0]!.code)}`);
  return { territories };
}

export default function CtsSpace() {
  const { territories } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Espace des conseils territoriaux de santé</h1>
      <ul>
        {territories.map((t) => (
          <li key={t.code}>
            <Link to={`/cts/${encodeURIComponent(t.code)}`}>CTS {t.name}</Link> — {t.region}
          </li>
        ))}
      </ul>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
