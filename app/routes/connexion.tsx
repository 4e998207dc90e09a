import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { loginSchema, safeRedirect } from "~/identity/forms";
import { logIn } from "~/identity/authentication.server";
import { startSession } from "~/identity/session.server";
import { db } from "~/platform/db.server";
import { retryHeaders } from "~/platform/rate-limit.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { FranceConnectButton } from "~/ui/franceconnect-button";
import { franceConnectEnabled } from "~/web/franceconnect.server";
import { InputField, Notice } from "~/ui/fields";
import { readFormData } from "~/web/form.server";

export const meta: MetaFunction = () => [{ title: "Se connecter — Priorités Santé" }];

// Carries the action's Retry-After onto the page of a 429.
export const headers: HeadersFunction = ({ actionHeaders }) => actionHeaders;

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (context.auth.user) {
    throw redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo"), "/mon-compte"));
  }
  return { franceConnect: franceConnectEnabled() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readFormData(request);
  const submission = parseWithZod(formData, { schema: loginSchema });
  if (submission.status !== "success") {
    return data({ result: submission.reply({ hideFields: ["password"] }), retryAfter: 0 }, { status: 400 });
  }
  const { email, password, redirectTo } = submission.value;
  const outcome = await logIn(db(), { email, password, network: context.clientAddress });
  if (!outcome.ok) {
    const blocked = outcome.reason === "blocked";
    return data(
      {
        result: submission.reply({
          formErrors: [blocked ? outcome.message : "Adresse électronique ou mot de passe incorrect."],
          hideFields: ["password"],
        }),
        retryAfter: blocked ? outcome.retryAfter : 0,
      },
      blocked ? { status: 429, headers: retryHeaders(outcome) } : { status: 400 },
    );
  }
  const cookie = await startSession(outcome.userId);
  return redirect(safeRedirect(redirectTo, "/mon-compte"), { headers: { "Set-Cookie": cookie } });
}

export default function Login() {
  const actionData = useActionData<typeof action>();
  const { franceConnect } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    constraint: getZodConstraint(loginSchema),
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: loginSchema }),
  });
  return (
    <div className="fr-grid-row fr-grid-row--center">
      <div className="fr-col-12 fr-col-md-8 fr-col-lg-6">
        <h1>Se connecter</h1>
        {form.errors?.length ? (
          <Notice
            kind="error"
            title={actionData?.retryAfter ? "Connexion temporairement bloquée" : "Connexion impossible"}
          >
            {form.errors.join(" ")}
          </Notice>
        ) : null}
        {franceConnect ? (
          <section className="fr-mb-4w" aria-labelledby="franceconnect-titre">
            <h2 id="franceconnect-titre" className="fr-h5">
              Avec FranceConnect
            </h2>
            <p>Votre identité est confirmée par un compte que vous avez déjà (impots.gouv.fr, ameli.fr…).</p>
            <FranceConnectButton returnTo={searchParams.get("redirectTo") ?? undefined} />
          </section>
        ) : null}
        {franceConnect ? <h2 className="fr-h5">Avec votre adresse électronique</h2> : null}
        <Form method="post" {...getFormProps(form)}>
          <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
          <InputField meta={fields.email} label="Adresse électronique" type="email" autoComplete="email" />
          <InputField meta={fields.password} label="Mot de passe" type="password" autoComplete="current-password" />
          <p>
            <Link to="/mot-de-passe-oublie">Mot de passe oublié ?</Link>
          </p>
          <button className="fr-btn" type="submit">
            Se connecter
          </button>
        </Form>
        <hr className="fr-mt-4w" />
        <p>
          Pas encore de compte ? <Link to="/inscription">Créer un compte</Link>
        </p>
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
