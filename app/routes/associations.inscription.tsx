import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { PASSWORD_MIN } from "~/identity/forms";
import { signUp } from "~/identity/signup.server";
import { signupReply, signupStatus, SignupSent } from "~/web/signup";
import { associationSignupSchema } from "~/comments/forms";
import { db } from "~/platform/db.server";
import { CommunePicker, CommuneSearchForm } from "~/territories/commune-picker";
import { communeMatch, searchCommunes } from "~/territories/territories.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { InputField, Notice } from "~/ui/fields";
import { Honeypot } from "~/ui/honeypot";
import { readFormData } from "~/web/form.server";

export const meta: MetaFunction = () => [{ title: "Inscrire une association — Priorités Santé" }];

// Carries the action's Retry-After onto the page of a 429.
export const headers: HeadersFunction = ({ actionHeaders }) => actionHeaders;

/** Where both outcomes of a sign-up lead: a new account, or an address that already had one. */
const SENT = "/associations/inscription?envoye=1";

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (context.auth.user) throw redirect("/espace-association");
  const url = new URL(request.url);
  const query = (url.searchParams.get("q") ?? "").slice(0, 100);
  return {
    sent: url.searchParams.get("envoye") === "1",
    query,
    results: query ? await searchCommunes(db(), query) : [],
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (context.auth.user) throw redirect("/espace-association");
  const formData = await readFormData(request);
  const submission = parseWithZod(formData, { schema: associationSignupSchema });
  const value = submission.status === "success" ? submission.value : null;
  const decision = await signUp(db(), { formData, clientAddress: context.clientAddress, value }, "association");
  if (decision.kind === "sent") return redirect(SENT);
  const selected = await communeMatch(db(), formData.get("commune"));
  return data({ result: signupReply(submission, decision), selected }, signupStatus(decision));
}

export default function AssociationSignup() {
  const { sent, query, results } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    constraint: getZodConstraint(associationSignupSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: associationSignupSchema }),
  });
  if (sent) return <SignupSent />;
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
