import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { PASSWORD_MIN, signupSchema } from "~/identity/forms";
import { signUp } from "~/identity/signup.server";
import { signupReply, signupStatus, SignupSent } from "~/web/signup";
import { db } from "~/platform/db.server";
import { CommunePicker, CommuneSearchForm } from "~/territories/commune-picker";
import { communeMatch, searchCommunes } from "~/territories/territories.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { InputField, Notice } from "~/ui/fields";
import { Honeypot } from "~/ui/honeypot";
import { PasswordMeter } from "~/identity/password-meter";
import { readFormData } from "~/web/form.server";

export const meta: MetaFunction = () => [{ title: "Créer un compte — Priorités Santé" }];

// Carries the action's Retry-After onto the page of a 429.
export const headers: HeadersFunction = ({ actionHeaders }) => actionHeaders;

/** Where both outcomes of a sign-up lead: a new account, or an address that already had one. */
const SENT = "/inscription?envoye=1";

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (context.auth.user) throw redirect("/mon-compte");
  const url = new URL(request.url);
  const sent = url.searchParams.get("envoye") === "1";
  const query = (url.searchParams.get("q") ?? "").slice(0, 100);
  const results = query ? await searchCommunes(db(), query) : [];
  return { sent, query, results };
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (context.auth.user) throw redirect("/mon-compte");
  const formData = await readFormData(request);
  const submission = parseWithZod(formData, { schema: signupSchema });
  const value = submission.status === "success" ? submission.value : null;
  const decision = await signUp(db(), { formData, clientAddress: context.clientAddress, value });
  if (decision.kind === "sent") return redirect(SENT);
  const selected = await communeMatch(db(), formData.get("commune"));
  return data({ result: signupReply(submission, decision), selected }, signupStatus(decision));
}

export default function Signup() {
  const { sent, query, results } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    constraint: getZodConstraint(signupSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: signupSchema }),
  });
  if (sent) return <SignupSent />;
  return (
    <div className="fr-grid-row fr-grid-row--center">
      <div className="fr-col-12 fr-col-md-8 fr-col-lg-6">
        <h1>Créer un compte</h1>
        <p>
          Votre compte vous permet de donner vos priorités parmi les propositions issues des ateliers de votre région.
          Déjà inscrit ? <Link to="/connexion">Se connecter</Link>
        </p>
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
          <PasswordMeter passwordId={fields.password.id} emailId={fields.email.id} />
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
