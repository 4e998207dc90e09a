import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { sendVerificationEmail } from "~/identity/account-emails.server";
import { PASSWORD_MIN, signupSchema } from "~/identity/forms";
import { isCommonPassword } from "~/identity/password.server";
import { startSession } from "~/identity/session.server";
import { DISPOSABLE_EMAIL_MESSAGE, isDisposableEmail, signupGate } from "~/identity/signup-guard.server";
import { createResident } from "~/identity/users.server";
import { db } from "~/platform/db.server";
import { CommunePicker, CommuneSearchForm } from "~/territories/commune-picker";
import { communeMatch, searchCommunes } from "~/territories/territories.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { InputField, Notice } from "~/ui/fields";
import { HONEYPOT_FIELD, Honeypot } from "~/ui/honeypot";
import { readFormData } from "~/web/form.server";

export const meta: MetaFunction = () => [{ title: "Créer un compte — Priorités Santé" }];

// Carries the action's Retry-After onto the page of a 429.
export const headers: HeadersFunction = ({ actionHeaders }) => actionHeaders;

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (context.auth.user) throw redirect("/mon-compte");
  const url = new URL(request.url);
  const query = (url.searchParams.get("q") ?? "").slice(0, 100);
  const results = query ? await searchCommunes(db(), query) : [];
  return { query, results };
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (context.auth.user) throw redirect("/mon-compte");
  const formData = await readFormData(request);
  const submission = parseWithZod(formData, { schema: signupSchema });
  const selected = await communeMatch(db(), formData.get("commune"));
  const refused = await signupGate(formData, context.clientAddress);
  if (refused) {
    // The form comes back as it was sent (but the password), with the reason above it.
    return data(
      {
        result: submission.reply({ formErrors: [refused.message], hideFields: ["password", HONEYPOT_FIELD] }),
        selected,
        taken: false,
      },
      { status: refused.status, ...(refused.headers ? { headers: refused.headers } : {}) },
    );
  }
  if (submission.status !== "success") {
    return data({ result: submission.reply({ hideFields: ["password"] }), selected, taken: false }, { status: 400 });
  }
  const { email, password, commune } = submission.value;
  if (isDisposableEmail(email)) {
    return data(
      {
        result: submission.reply({ fieldErrors: { email: [DISPOSABLE_EMAIL_MESSAGE] }, hideFields: ["password"] }),
        selected,
        taken: false,
      },
      { status: 400 },
    );
  }
  if (!selected) {
    return data(
      {
        result: submission.reply({
          fieldErrors: { commune: ["Commune inconnue : choisissez-la dans la liste."] },
          hideFields: ["password"],
        }),
        selected,
        taken: false,
      },
      { status: 400 },
    );
  }
  if (isCommonPassword(password)) {
    return data(
      {
        result: submission.reply({
          fieldErrors: { password: ["Ce mot de passe fait partie des plus utilisés : choisissez-en un autre."] },
          hideFields: ["password"],
        }),
        selected,
        taken: false,
      },
      { status: 400 },
    );
  }
  const created = await createResident(db(), { email, password, communeCode: commune });
  if (!created.ok) {
    // Says no more than that an account may exist, so the form cannot be used to test addresses.
    return data({ result: submission.reply({ hideFields: ["password"] }), selected, taken: true }, { status: 400 });
  }
  await sendVerificationEmail(db(), { id: created.userId, email });
  const cookie = await startSession(created.userId);
  return redirect("/mon-compte?bienvenue=1", { headers: { "Set-Cookie": cookie } });
}

export default function Signup() {
  const { query, results } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    constraint: getZodConstraint(signupSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: signupSchema }),
  });
  return (
    <div className="fr-grid-row fr-grid-row--center">
      <div className="fr-col-12 fr-col-md-8 fr-col-lg-6">
        <h1>Créer un compte</h1>
        <p>
          Votre compte vous permet de donner vos priorités parmi les propositions issues des ateliers de votre région.
          Déjà inscrit ? <Link to="/connexion">Se connecter</Link>
        </p>
        {actionData?.taken ? (
          <Notice kind="error" title="Inscription impossible avec cette adresse">
            Un compte existe peut-être déjà avec cette adresse électronique. Essayez de vous{" "}
            <Link to="/connexion">connecter</Link> ou de{" "}
            <Link to="/mot-de-passe-oublie">réinitialiser votre mot de passe</Link>.
          </Notice>
        ) : null}
        {form.errors?.length ? <Notice kind="error">{form.errors.join(" ")}</Notice> : null}
        <CommuneSearchForm />
        <Form method="post" {...getFormProps(form)}>
          <CommunePicker
            name={fields.commune.name}
            query={query}
            results={results}
            selected={actionData?.selected ?? null}
            errorId={fields.commune.errorId}
            errors={fields.commune.errors}
          />
          <InputField
            meta={fields.email}
            label="Adresse électronique"
            hint="Format attendu : nom@domaine.fr"
            type="email"
            autoComplete="email"
          />
          <InputField
            meta={fields.password}
            label="Mot de passe"
            hint={`Au moins ${PASSWORD_MIN} caractères. Une phrase de plusieurs mots est facile à retenir et difficile à deviner.`}
            type="password"
            autoComplete="new-password"
          />
          <Honeypot />
          <button className="fr-btn fr-mt-2w" type="submit" disabled={navigation.state === "submitting"}>
            Créer mon compte
          </button>
        </Form>
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
