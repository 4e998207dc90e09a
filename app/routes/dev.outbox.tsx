import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { db } from "~/platform/db.server";
import { listOutbox } from "~/platform/email.server";
import { env } from "~/platform/env.server";
import { hasRole } from "~/identity/session.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { formatDateTime } from "~/ui/format";

export const meta: MetaFunction = () => [{ title: "Boîte d’envoi (développement) — Priorités Santé" }];

export async function loader({ context }: LoaderFunctionArgs) {
  // Live sign-in and reset links: administrators only, and in development the machine itself
  // (README, « E-mail and the outbox »). Anyone else gets the page every unknown address gets.
  const user = context.auth.user;
  const admin = user !== null && hasRole(user, "admin");
  const local = env().NODE_ENV !== "production" && context.fromLoopback;
  if (!admin && !local) throw new Response("Page introuvable.", { status: 404 });
  return { emails: await listOutbox(db()) };
}

export default function Outbox() {
  const { emails } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Boîte d’envoi</h1>
      <p>
        Aucun serveur d’envoi n’est configuré (variable <code>SMTP_URL</code>) : les e-mails sont gardés ici, les plus
        récents d’abord.
      </p>
      {emails.length === 0 ? <p>Aucun e-mail pour l’instant.</p> : null}
      {emails.map((e) => (
        <article key={e.id} className="fr-card fr-mb-3w fr-p-3w" data-testid="outbox-email">
          <h2 className="fr-h5">{e.subject}</h2>
          <p className="fr-text--sm">
            À : <span data-testid="outbox-to">{e.to_address}</span> — {formatDateTime(e.created_at)}
          </p>
          <pre className="ps-pre-wrap">{e.body_text}</pre>
        </article>
      ))}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
