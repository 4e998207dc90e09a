import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { sendVerificationEmail } from "~/identity/account-emails.server";
import { PASSWORD_MIN } from "~/identity/forms";
import { isCommonPassword } from "~/identity/password.server";
import { startSession } from "~/identity/session.server";
import { DISPOSABLE_EMAIL_MESSAGE, isDisposableEmail, signupGate } from "~/identity/signup-guard.server";
import { createAssociationAccount } from "~/associations/associations.server";
import { associationSignupSchema } from "~/comments/forms";
import { db } from "~/platform/db.server";
import { CommunePicker, CommuneSearchForm } from "~/territories/commune-picker";
import { communeMatch, searchCommunes } from "~/territories/territories.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { InputField, Notice } from "~/ui/fields";
import { HONEYPOT_FIELD, Honeypot } from "~/ui/honeypot";
import { readFormData } from "~/web/form.server";

export const meta: MetaFunction = () => [{ title: "Inscrire une association — Priorités Santé" }];

// Carries the action's Retry-After onto the page of a 429.
export const headers: HeadersFunction = ({ actionHeaders }) => actionHeaders;

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (context.auth.user) throw redirect("/espace-association");
  const query = (new URL(request.url).searchParams.get("q") ?? "").slice(0, 100);
  return { query, results: query ? await searchCommunes(db(), query) : [] };
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (context.auth.user) throw redirect("/espace-association");
  const formData = await readFormData(request);
  const submission = parseWithZod(formData, { schema: associationSignupSchema });
  const selected = await communeMatch(db(), formData.get("commune"));
  const fail = (fieldErrors?: Record<string, string[]>, taken = false) =>
    data(
      {
        result: submission.reply({ hideFields: ["password"], ...(fieldErrors ? { fieldErrors } : {}) }),
        selected,
        taken,
      },
      { status: 400 },
    );
  const refused = await signupGate(formData, context.clientAddress);
  if (refused) {
    return data(
      {
        result: submission.reply({ formErrors: [refused.message], hideFields: ["password", HONEYPOT_FIELD] }),
        selected,
        taken: false,
      },
      { status: refused.status, ...(refused.headers ? { headers: refused.headers } : {}) },
    );
  }
  if (submission.status !== "success") return fail();
  const { email, password, commune } = submission.value;
  if (isDisposableEmail(email)) return fail({ email: [DISPOSABLE_EMAIL_MESSAGE] });
  if (!selected) return fail({ commune: ["Commune inconnue : choisissez-la dans la liste."] });
  if (isCommonPassword(password))
    return fail({ password: ["Ce mot de passe fait partie des plus utilisés : choisissez-en un autre."] });
  const created = await createAssociationAccount(db(), { email, password, communeCode: commune });
  if (!created.ok) return fail(undefined, true);
  await sendVerificationEmail(db(), { id: created.userId, email });
  const cookie = await startSession(created.userId);
  return redirect("/espace-association?bienvenue=1", { headers: { "Set-Cookie": cookie } });
}

export default function AssociationSignup() {
  const { query, results } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    constraint: getZodConstraint(associationSignupSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: associationSignupSchema }),
  });
  return (
    <div className="fr-grid-row fr-grid-row--center">
      <div className="fr-col-12 fr-col-md-8 fr-col-lg-6">
        <h1>Inscrire une association</h1>
        <p>
          Ce compte est celui de l’association, distinct du compte personnel de ses membres : il ne vote pas et ne
          commente pas comme un habitant, il publie des contributions signées de l’association, une fois celle-ci
          vérifiée par un administrateur de l’ARS. Vous êtes un habitant ?{" "}
          <Link to="/inscription">Créez plutôt un compte personnel</Link>.
        </p>
        <ol>
          <li>Créez le compte (adresse électronique de l’association, mot de passe, commune du siège).</li>
          <li>Confirmez l’adresse électronique.</li>
          <li>Déposez la demande : nom, numéro RNA ou SIREN, agrément éventuel, territoires d’action, contact.</li>
        </ol>
        {actionData?.taken ? (
          <Notice kind="error" title="Inscription impossible avec cette adresse">
            Un compte existe peut-être déjà avec cette adresse électronique. Essayez de vous{" "}
            <Link to="/connexion">connecter</Link>.
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
            label="Adresse électronique de l’association"
            hint="Les décisions et messages de la plateforme y seront envoyés."
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
            Créer le compte de l’association
          </button>
        </Form>
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
