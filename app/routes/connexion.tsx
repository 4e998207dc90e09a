import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import { recordAudit } from "~/audit/audit.server";
import { loginSchema, safeRedirect } from "~/identity/forms";
import { verifyAgainstDummy, verifyPassword } from "~/identity/password.server";
import { startSession } from "~/identity/session.server";
import { findUserByEmail } from "~/identity/users.server";
import { db } from "~/platform/db.server";
import { charge, clear, peek, retryHeaders } from "~/platform/rate-limit.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { InputField, Notice } from "~/ui/fields";
import { readFormData } from "~/web/form.server";

export const meta: MetaFunction = () => [{ title: "Se connecter — Priorités Santé" }];

// Carries the action's Retry-After onto the page of a 429.
export const headers: HeadersFunction = ({ actionHeaders }) => actionHeaders;

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (context.auth.user) {
    throw redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo"), "/mon-compte"));
  }
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readFormData(request);
  const submission = parseWithZod(formData, { schema: loginSchema });
  if (submission.status !== "success") {
    return data({ result: submission.reply({ hideFields: ["password"] }), retryAfter: 0 }, { status: 400 });
  }
  const { email, password, redirectTo } = submission.value;
  const address = context.clientAddress;
  // Checked before the password is: a blocked attempt costs no hashing and proves nothing.
  for (const blocked of [await peek("loginFailuresPerEmail", email), await peek("loginFailuresPerAddress", address)]) {
    if (!blocked.ok) {
      return data(
        {
          result: submission.reply({ formErrors: [blocked.message], hideFields: ["password"] }),
          retryAfter: blocked.retryAfter,
        },
        { status: 429, headers: retryHeaders(blocked) },
      );
    }
  }
  const user = await findUserByEmail(db(), email);
  const valid = user ? await verifyPassword(user.password_hash, password) : await verifyAgainstDummy(password);
  if (!user || !valid) {
    await Promise.all([charge("loginFailuresPerEmail", email), charge("loginFailuresPerAddress", address)]);
    // The attempt, not the address typed: an e-mail in the journal would be personal data kept for nothing.
    await recordAudit(db(), {
      kind: "login_failed",
      userId: user?.id ?? null,
      detail: user ? "mot de passe incorrect" : "adresse inconnue",
    });
    return data(
      {
        result: submission.reply({
          formErrors: ["Adresse électronique ou mot de passe incorrect."],
          hideFields: ["password"],
        }),
        retryAfter: 0,
      },
      { status: 400 },
    );
  }
  // The address's count stays: a valid login among many failures does not reset a stuffing run.
  await clear("loginFailuresPerEmail", email);
  const cookie = await startSession(user.id);
  return redirect(safeRedirect(redirectTo, "/mon-compte"), { headers: { "Set-Cookie": cookie } });
}

export default function Login() {
  const actionData = useActionData<typeof action>();
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
