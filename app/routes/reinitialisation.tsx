import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { clearLoginFailures } from "~/identity/authentication.server";
import { checkEmailToken } from "~/identity/email-tokens.server";
import { PASSWORD_MIN, resetPasswordSchema } from "~/identity/forms";
import { resetPassword } from "~/identity/passwords.server";
import { endAllSessions } from "~/identity/session.server";
import { db } from "~/platform/db.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { InputField, Notice } from "~/ui/fields";
import { tokenPageHeaders } from "~/web/token-pages";
import { readFormData } from "~/web/form.server";

export const meta: MetaFunction = () => [{ title: "Nouveau mot de passe — Priorités Santé" }];

// The link carries its token in the query: see tokenPageHeaders.
export const headers = tokenPageHeaders;

const PROBLEMS = {
  unknown: "Ce lien n’est pas valide. Vérifiez qu’il a été copié en entier.",
  expired: "Ce lien a expiré (il est valable 1 heure). Demandez-en un nouveau.",
  used: "Ce lien a déjà servi. Demandez-en un nouveau si besoin.",
} as const;

/** Where a successful reset lands: the token is spent, so the page says so without it. */
const DONE = "/reinitialisation?modifie=1";

export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const token = params.get("token") ?? "";
  if (!token && params.get("modifie") === "1") return { token: "", problem: null, done: true };
  const status = token && token.length <= 200 ? await checkEmailToken(db(), token, "reset_password") : "unknown";
  return data(
    { token, problem: status === "valid" ? null : PROBLEMS[status], done: false },
    { status: status === "valid" ? 200 : 400 },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await readFormData(request), { schema: resetPasswordSchema });
  const hide = { hideFields: ["password", "confirm"] };
  if (submission.status !== "success")
    return data({ result: submission.reply(hide), problem: null, done: false }, { status: 400 });
  const { token, password } = submission.value;
  const reset = await resetPassword(db(), token, password);
  if (!reset.ok) {
    if (reset.reason === "weak") {
      return data(
        {
          result: submission.reply({ ...hide, fieldErrors: { password: [reset.message] } }),
          problem: null,
          done: false,
        },
        { status: 400 },
      );
    }
    return data({ result: submission.reply(hide), problem: PROBLEMS[reset.reason], done: false }, { status: 400 });
  }
  // Whoever knew the old password is signed out everywhere, and a lock on this network is lifted.
  await endAllSessions(reset.userId);
  await clearLoginFailures(reset.email, context.clientAddress);
  // Redirected, not rendered: rendering here would rerun the loader, which finds the token spent
  // and answered 400 under "Mot de passe modifié".
  return redirect(DONE, 303);
}

export default function ResetPassword() {
  const { token, problem: loaderProblem, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    constraint: getZodConstraint(resetPasswordSchema),
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: resetPasswordSchema }),
  });
  if (done) {
    return (
      <>
        <h1>Mot de passe modifié</h1>
        <Notice kind="success">Votre nouveau mot de passe est enregistré. Vos autres sessions ont été fermées.</Notice>
        <Link className="fr-btn" to="/connexion">
          Se connecter
        </Link>
      </>
    );
  }
  const problem = actionData?.problem ?? loaderProblem;
  if (problem) {
    return (
      <>
        <h1>Lien inutilisable</h1>
        <Notice kind="error">{problem}</Notice>
        <Link className="fr-btn" to="/mot-de-passe-oublie">
          Demander un nouveau lien
        </Link>
      </>
    );
  }
  return (
    <div className="fr-grid-row fr-grid-row--center">
      <div className="fr-col-12 fr-col-md-8 fr-col-lg-6">
        <h1>Choisir un nouveau mot de passe</h1>
        <Form method="post" {...getFormProps(form)}>
          <input type="hidden" name="token" value={token} />
          <InputField
            meta={fields.password}
            label="Nouveau mot de passe"
            hint={`Au moins ${PASSWORD_MIN} caractères.`}
            type="password"
            autoComplete="new-password"
          />
          <InputField
            meta={fields.confirm}
            label="Confirmez le mot de passe"
            type="password"
            autoComplete="new-password"
          />
          <button className="fr-btn" type="submit">
            Enregistrer
          </button>
        </Form>
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
