import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { acceptInvitation, checkInvitation } from "~/identity/cts-invitations.server";
import { acceptInvitationSchema, PASSWORD_MIN } from "~/identity/forms";
import { startSession } from "~/identity/session.server";
import { db } from "~/platform/db.server";
import { CommunePicker, CommuneSearchForm } from "~/territories/commune-picker";
import { communeMatch, searchCommunes } from "~/territories/territories.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { InputField, Notice } from "~/ui/fields";
import { tokenPageHeaders } from "~/web/token-pages";
import { readFormData } from "~/web/form.server";

export const meta: MetaFunction = () => [{ title: "Invitation à un conseil territorial de santé — Priorités Santé" }];

// The link carries its token in the query: see tokenPageHeaders.
export const headers = tokenPageHeaders;

const PROBLEMS = {
  unknown: "Ce lien d’invitation n’est pas valide. Vérifiez qu’il a été copié en entier.",
  expired: "Cette invitation a expiré (elle est valable 7 jours) : demandez-en une nouvelle à l’administrateur.",
  used: "Cette invitation a déjà servi.",
  wrong_account: "Cette invitation est adressée à une autre adresse électronique que celle de votre compte.",
  email_taken: "Un compte existe déjà avec cette adresse : connectez-vous pour accepter l’invitation.",
} as const;

// Opening the link only shows the choice: mail scanners that fetch links must not use it.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const token = (url.searchParams.get("token") ?? "").slice(0, 200);
  const checked = token ? await checkInvitation(db(), token) : { status: "unknown" as const, invitation: null };
  const query = (url.searchParams.get("q") ?? "").slice(0, 100);
  const results = query && checked.status === "valid" ? await searchCommunes(db(), query) : [];
  const user = context.auth.user;
  return data(
    {
      token,
      status: checked.status,
      invitation: checked.invitation && {
        ctsName: checked.invitation.ctsName,
        email: checked.invitation.email,
        accountExists: checked.invitation.accountExists,
      },
      signedInAs: user?.email ?? null,
      query,
      results,
    },
    { status: checked.status === "valid" ? 200 : 400 },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readFormData(request);
  const submission = parseWithZod(formData, { schema: acceptInvitationSchema });
  const selected = await communeMatch(db(), formData.get("commune"));
  if (submission.status !== "success")
    return data({ result: submission.reply({ hideFields: ["password"] }), problem: null, selected }, { status: 400 });
  const value = submission.value;
  const user = context.auth.user;
  if (value.intent === "accept") {
    if (!user) throw redirect(`/connexion?redirectTo=${encodeURIComponent(`/invitation-cts?token=${value.token}`)}`);
    const result = await acceptInvitation(db(), value.token, { userId: user.id, email: user.email });
    // No password is chosen when accepting as oneself, so "weak_password" cannot come back here.
    if (!result.ok && result.reason !== "weak_password")
      return data(
        { result: submission.reply(), problem: PROBLEMS[result.reason], selected },
        { status: result.reason === "wrong_account" ? 403 : 400 },
      );
    if (!result.ok) throw new Response("Invitation inutilisable.", { status: 400 });
    return redirect(`/cts/${encodeURIComponent(result.ctsCode)}`);
  }
  if (!selected) {
    return data(
      {
        result: submission.reply({
          fieldErrors: { commune: ["Commune inconnue : choisissez-la dans la liste."] },
          hideFields: ["password"],
        }),
        problem: null,
        selected,
      },
      { status: 400 },
    );
  }
  const result = await acceptInvitation(db(), value.token, {
    newAccount: { password: value.password, communeCode: value.commune },
  });
  if (!result.ok && result.reason === "weak_password")
    return data(
      {
        result: submission.reply({ fieldErrors: { password: [result.message] }, hideFields: ["password"] }),
        problem: null,
        selected,
      },
      { status: 400 },
    );
  if (!result.ok)
    return data(
      { result: submission.reply({ hideFields: ["password"] }), problem: PROBLEMS[result.reason], selected },
      { status: result.reason === "email_taken" ? 409 : 400 },
    );
  const cookie = await startSession(result.userId);
  return redirect(`/cts/${encodeURIComponent(result.ctsCode)}`, { headers: { "Set-Cookie": cookie } });
}

export default function CtsInvitation() {
  const { token, status, invitation, signedInAs, query, results } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    constraint: getZodConstraint(acceptInvitationSchema),
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: acceptInvitationSchema }),
  });
  const problem = actionData?.problem ?? (status === "valid" ? null : PROBLEMS[status]);
  if (!invitation || status !== "valid") {
    return (
      <>
        <h1>Invitation impossible à utiliser</h1>
        <Notice kind="error">{problem ?? PROBLEMS.unknown}</Notice>
      </>
    );
  }
  const here = `/invitation-cts?token=${encodeURIComponent(token)}`;
  return (
    <div className="fr-grid-row fr-grid-row--center">
      <div className="fr-col-12 fr-col-md-8 fr-col-lg-6">
        <h1>Rejoindre le CTS {invitation.ctsName}</h1>
        <p>
          Cette invitation est adressée à <strong>{invitation.email}</strong>. Les membres d’un conseil territorial de
          santé lisent les classements, la participation et les commentaires de leur territoire, et les exportent pour
          leurs réunions.
        </p>
        {problem ? <Notice kind="error">{problem}</Notice> : null}
        {signedInAs ? (
          signedInAs === invitation.email ? (
            <Form method="post">
              <input type="hidden" name="intent" value="accept" />
              <input type="hidden" name="token" value={token} />
              <button className="fr-btn" type="submit">
                Accepter l’invitation
              </button>
            </Form>
          ) : (
            <Notice kind="warning">
              {`Vous êtes connecté·e avec ${signedInAs}. Déconnectez-vous, puis rouvrez ce lien et connectez-vous avec ${invitation.email}.`}
            </Notice>
          )
        ) : invitation.accountExists ? (
          <p>
            <Link className="fr-btn" to={`/connexion?redirectTo=${encodeURIComponent(here)}`}>
              Se connecter pour accepter
            </Link>
          </p>
        ) : (
          <>
            <h2 className="fr-h4">Créer votre compte</h2>
            <p>Votre adresse est confirmée par ce lien. Choisissez votre commune de résidence et un mot de passe.</p>
            <CommuneSearchForm keep={{ token }} />
            <Form method="post" {...getFormProps(form)}>
              <input type="hidden" name="intent" value="create" />
              <input type="hidden" name="token" value={token} />
              <CommunePicker
                name="commune"
                query={query}
                results={results}
                selected={actionData?.selected ?? null}
                errorId={`${form.id}-commune-error`}
                errors={fields.commune?.errors}
              />
              <InputField
                meta={fields.password}
                label="Mot de passe"
                hint={`Au moins ${PASSWORD_MIN} caractères. Une phrase de plusieurs mots est facile à retenir et difficile à deviner.`}
                type="password"
                autoComplete="new-password"
              />
              <button className="fr-btn fr-mt-2w" type="submit">
                Créer mon compte et rejoindre le CTS
              </button>
            </Form>
          </>
        )}
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
