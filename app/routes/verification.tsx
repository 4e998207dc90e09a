import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { checkEmailToken, consumeEmailToken } from "~/identity/email-tokens.server";
import { verifyEmailSchema } from "~/identity/forms";
import { markEmailVerified } from "~/identity/users.server";
import { db } from "~/platform/db.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { Notice } from "~/ui/fields";
import { tokenPageHeaders } from "~/web/token-pages";
import { readFormData } from "~/web/form.server";

export const meta: MetaFunction = () => [{ title: "Confirmer votre adresse — Priorités Santé" }];

// The link carries its token in the query: see tokenPageHeaders.
export const headers = tokenPageHeaders;

const PROBLEMS = {
  unknown: "Ce lien de confirmation n’est pas valide. Vérifiez qu’il a été copié en entier.",
  expired: "Ce lien de confirmation a expiré (il est valable 24 heures).",
  used: "Ce lien de confirmation a déjà servi.",
} as const;

// Opening the link only shows a button: mail scanners that fetch links must not use the token.
export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const status = token && token.length <= 200 ? await checkEmailToken(db(), token, "verify_email") : "unknown";
  return data({ token, status }, { status: status === "valid" ? 200 : 400 });
}

export async function action({ request }: ActionFunctionArgs) {
  const parsed = verifyEmailSchema.safeParse(Object.fromEntries(await readFormData(request)));
  if (!parsed.success) return data({ done: false, problem: PROBLEMS.unknown }, { status: 400 });
  const result = await consumeEmailToken(db(), parsed.data.token, "verify_email");
  if (!result.ok) return data({ done: false, problem: PROBLEMS[result.reason] }, { status: 400 });
  await markEmailVerified(db(), result.userId);
  return { done: true, problem: null };
}

export default function VerifyEmail() {
  const { token, status } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (actionData?.done) {
    return (
      <>
        <h1>Adresse confirmée</h1>
        <Notice kind="success">
          Votre adresse électronique est confirmée : vous pourrez voter dans les consultations de votre région.
        </Notice>
        <Link className="fr-btn" to="/mon-compte">
          Aller à mon compte
        </Link>
      </>
    );
  }
  const problem = actionData?.problem ?? (status === "valid" ? null : PROBLEMS[status]);
  if (problem) {
    return (
      <>
        <h1>Confirmation impossible</h1>
        <Notice kind="error">{problem}</Notice>
        <p>
          Vous pouvez demander un nouveau lien depuis <Link to="/mon-compte">votre compte</Link> (connectez-vous
          d’abord).
        </p>
      </>
    );
  }
  return (
    <>
      <h1>Confirmer votre adresse électronique</h1>
      <p>Pour terminer votre inscription, confirmez que cette adresse est bien la vôtre.</p>
      <Form method="post">
        <input type="hidden" name="token" value={token} />
        <button className="fr-btn" type="submit">
          Confirmer mon adresse
        </button>
      </Form>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
