import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { sendVerificationEmail } from "~/identity/account-emails.server";
import { changeCommuneSchema, changePasswordSchema, PASSWORD_MIN } from "~/identity/forms";
import { reauthenticate } from "~/identity/authentication.server";
import { changePassword } from "~/identity/passwords.server";
import { renewSessionAlone } from "~/identity/session.server";
import { requireUser } from "~/web/guards.server";
import {
  changeCommune,
  CommuneChangeError,
  planCommuneChange,
  REGION_CHANGE_DAYS,
} from "~/ballots/commune-change.server";
import { REFUSAL_STATUS } from "~/web/access.server";
import { setDisplayName } from "~/comments/comments.server";
import { displayNameSchema } from "~/comments/forms";
import { db } from "~/platform/db.server";
import { retryHeaders, take } from "~/platform/rate-limit.server";
import { CommunePicker, CommuneSearchForm } from "~/territories/commune-picker";
import { locateCommune, searchCommunes } from "~/territories/territories.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { InputField, Notice } from "~/ui/fields";
import { readFormData } from "~/web/form.server";
import { wantsNotices } from "~/answers/choices.server";
import { NoticeWishForm } from "~/answers/answer-views";
import { arrondissementLabel } from "~/ui/place-names";

export const meta: MetaFunction = () => [{ title: "Mon compte — Priorités Santé" }];

// Carries the action's Retry-After onto the page of a 429.
export const headers: HeadersFunction = ({ actionHeaders }) => actionHeaders;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const url = new URL(request.url);
  const query = (url.searchParams.get("q") ?? "").slice(0, 100);
  const [place, results, answerNotices] = await Promise.all([
    locateCommune(db(), user.communeCode),
    query ? searchCommunes(db(), query) : Promise.resolve([]),
    wantsNotices(db(), user.id),
  ]);
  return {
    email: user.email,
    emailVerified: user.emailVerified,
    displayName: user.displayName,
    spaces: spacesOf(user.roles),
    place,
    query,
    results,
    answerNotices,
    regionChangeDays: REGION_CHANGE_DAYS,
  };
}

/** Links to the parts of the site a person's roles open. */
function spacesOf(roles: { role: string; scope: string }[]) {
  const spaces: { to: string; label: string }[] = [];
  if (roles.some((r) => r.role === "association"))
    spaces.push({ to: "/espace-association", label: "Espace de votre association" });
  for (const r of roles.filter((r) => r.role === "cts_member")) {
    spaces.push({
      to: `/cts/${encodeURIComponent(r.scope)}/commentaires`,
      label: `Commentaires et exports du CTS (${r.scope})`,
    });
  }
  if (roles.some((r) => r.role === "moderator")) spaces.push({ to: "/moderation", label: "File de modération" });
  if (roles.some((r) => r.role === "admin")) spaces.push({ to: "/admin", label: "Administration" });
  return spaces;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  if (intent === "resend") {
    if (user.emailVerified) return { result: undefined, message: "Votre adresse est déjà confirmée." };
    const allowance = await take("verificationResend", user.id);
    if (!allowance.ok)
      return data({ result: undefined, message: allowance.message }, { status: 429, headers: retryHeaders(allowance) });
    await sendVerificationEmail(db(), { id: user.id, email: user.email });
    return { result: undefined, message: "Un nouveau lien de confirmation vient de vous être envoyé." };
  }
  if (intent === "display_name") {
    const submission = parseWithZod(formData, { schema: displayNameSchema });
    if (submission.status !== "success")
      return data({ result: undefined, nameResult: submission.reply(), message: null }, { status: 400 });
    await setDisplayName(db(), user.id, submission.value.displayName ?? null);
    return {
      result: undefined,
      nameResult: submission.reply(),
      message: submission.value.displayName
        ? `Votre nom public est désormais « ${submission.value.displayName} ». Vous choisissez à chaque commentaire de signer de ce nom ou anonymement.`
        : "Vous n’avez plus de nom public : vos commentaires sont signés « un·e habitant·e ».",
    };
  }
  if (intent === "password") {
    const submission = parseWithZod(formData, { schema: changePasswordSchema });
    const hide = { hideFields: ["current", "password", "confirm"] };
    if (submission.status !== "success")
      return data({ result: undefined, passwordResult: submission.reply(hide), message: null }, { status: 400 });
    const check = await reauthenticate(db(), {
      user,
      password: submission.value.current,
      network: context.clientAddress,
      purpose: "changement de mot de passe",
    });
    if (!check.ok) {
      const blocked = check.reason === "blocked";
      return data(
        {
          result: undefined,
          passwordResult: submission.reply(
            blocked
              ? { ...hide, formErrors: [check.message] }
              : { ...hide, fieldErrors: { current: ["Mot de passe actuel incorrect."] } },
          ),
          message: null,
        },
        blocked ? { status: 429, headers: retryHeaders(check) } : { status: 400 },
      );
    }
    const changed = await changePassword(db(), user, submission.value.password);
    if (!changed.ok) {
      return data(
        {
          result: undefined,
          passwordResult: submission.reply({
            ...hide,
            fieldErrors: { password: [changed.reason === "weak" ? changed.message : "Mot de passe refusé."] },
          }),
          message: null,
        },
        { status: 400 },
      );
    }
    // Every other session ends; this browser gets a new session id.
    const cookie = await renewSessionAlone(user.id);
    return data(
      {
        result: undefined,
        passwordResult: submission.reply({ resetForm: true }),
        message: "Votre mot de passe est modifié. Vos autres sessions ont été fermées.",
      },
      { headers: { "Set-Cookie": cookie } },
    );
  }
  if (intent !== "commune") {
    throw new Response("Action inconnue.", { status: 400 });
  }
  const submission = parseWithZod(formData, { schema: changeCommuneSchema });
  if (submission.status !== "success") return data({ result: submission.reply(), message: null }, { status: 400 });
  const place = await locateCommune(db(), submission.value.commune);
  if (!place) {
    return data(
      {
        result: submission.reply({ fieldErrors: { commune: ["Commune inconnue : choisissez-la dans la liste."] } }),
        message: null,
      },
      { status: 400 },
    );
  }
  // Two steps (docs/domain.md#one-voice): the first shows what the change does to the ballots,
  // the second (intent "confirm") makes it.
  if (formData.get("step") !== "confirm") {
    const plan = await planCommuneChange(db(), user.id, place.commune.code);
    if (plan.refusal)
      return data({ result: submission.reply(), message: null, refusal: plan.refusal }, { status: 409 });
    return {
      result: submission.reply(),
      message: null,
      confirm: {
        commune: place.commune.code,
        communeName: place.commune.name,
        regionName: place.region.name,
        regionChange: plan.regionChange,
        moved: plan.moved.map((b) => b.consultationTitle),
        withdrawn: plan.withdrawn.map((b) => b.consultationTitle),
      },
    };
  }
  try {
    const done = await changeCommune(db(), user.id, place.commune.code);
    const withdrawn = done.withdrawn.length
      ? ` ${done.withdrawn.length === 1 ? "Votre vote a été retiré" : "Vos votes ont été retirés"} de : ${done.withdrawn.map((b) => b.consultationTitle).join(" ; ")}.`
      : "";
    const moved = done.moved.length
      ? ` ${done.moved.length === 1 ? "Votre vote compte" : "Vos votes comptent"} désormais dans votre nouveau territoire.`
      : "";
    return {
      result: submission.reply({ resetForm: true }),
      message: `Votre commune est désormais ${place.commune.name} (${arrondissementLabel(place.arrondissement.name)}).${moved}${withdrawn}`,
    };
  } catch (error) {
    if (!(error instanceof CommuneChangeError)) throw error;
    return data(
      { result: submission.reply(), message: null, refusal: error.message },
      { status: REFUSAL_STATUS[error.code] },
    );
  }
}

export default function Account() {
  const { email, emailVerified, displayName, spaces, place, query, results, answerNotices, regionChangeDays } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "commune-form",
    lastResult: actionData?.result,
    constraint: getZodConstraint(changeCommuneSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: changeCommuneSchema }),
  });
  return (
    <>
      <h1>Mon compte</h1>
      {actionData?.message ? <Notice kind="info">{actionData.message}</Notice> : null}
      {actionData && "refusal" in actionData && typeof actionData.refusal === "string" ? (
        <Notice kind="error" title="Changement de commune refusé">
          {actionData.refusal}
        </Notice>
      ) : null}
      <section className="fr-mb-6w">
        <h2>Mon adresse électronique</h2>
        <p>
          {email} —{" "}
          {emailVerified ? (
            <span className="fr-badge fr-badge--success">Confirmée</span>
          ) : (
            <span className="fr-badge fr-badge--warning">À confirmer</span>
          )}
        </p>
        {!emailVerified ? (
          <Form method="post">
            <input type="hidden" name="intent" value="resend" />
            <p>Vous devez confirmer votre adresse avant de voter.</p>
            <button className="fr-btn fr-btn--secondary" type="submit">
              Renvoyer le lien de confirmation
            </button>
          </Form>
        ) : null}
      </section>
      {spaces.length ? (
        <section className="fr-mb-6w">
          <h2>Mes espaces</h2>
          <ul>
            {spaces.map((space) => (
              <li key={space.to}>
                <Link to={space.to}>{space.label}</Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <PasswordForm lastResult={actionData && "passwordResult" in actionData ? actionData.passwordResult : undefined} />
      <DisplayNameForm
        displayName={displayName}
        lastResult={actionData && "nameResult" in actionData ? actionData.nameResult : undefined}
      />
      <section className="fr-mb-6w">
        <h2>Mon territoire</h2>
        {place ? (
          <dl data-testid="my-place">
            <dt className="fr-text--bold">Commune</dt>
            <dd>
              {place.commune.name} ({place.commune.code})
            </dd>
            <dt className="fr-text--bold">Arrondissement</dt>
            <dd>
              {place.arrondissement.name} ({place.arrondissement.code})
            </dd>
            <dt className="fr-text--bold">Département</dt>
            <dd>
              {place.departement.name} ({place.departement.code})
            </dd>
            <dt className="fr-text--bold">Région</dt>
            <dd>{place.region.name}</dd>
            <dt className="fr-text--bold">Conseil territorial de santé</dt>
            <dd>{place.cts ? `CTS ${place.cts.name}` : "Non renseigné"}</dd>
          </dl>
        ) : (
          <p>Commune introuvable : choisissez-la ci-dessous.</p>
        )}
      </section>
      <section>
        <h2>Changer de commune</h2>
        {actionData && "confirm" in actionData && actionData.confirm ? (
          <ConfirmCommune {...actionData.confirm} regionChangeDays={regionChangeDays} />
        ) : null}
        <p>
          Une personne, une voix, dans un seul territoire. Si vous déménagez dans votre région, vos votes des
          consultations ouvertes vous suivent dans votre nouveau territoire. Si vous changez de région, vos votes des
          consultations ouvertes de la région quittée sont retirés, et vous ne pourrez plus changer de région pendant{" "}
          {regionChangeDays} jours tant qu’une consultation est ouverte. Les votes des consultations closes ne changent
          jamais. Vous verrez l’effet exact avant de confirmer.
        </p>
        <CommuneSearchForm />
        <Form method="post" {...getFormProps(form)}>
          <input type="hidden" name="intent" value="commune" />
          <CommunePicker
            name={fields.commune.name}
            query={query}
            results={results}
            selected={null}
            errorId={fields.commune.errorId}
            errors={fields.commune.errors}
          />
          <button className="fr-btn fr-mt-2w" type="submit">
            Enregistrer ma nouvelle commune
          </button>
        </Form>
      </section>
      <section className="fr-mt-6w" aria-labelledby="reponses-cts-titre">
        <h2 id="reponses-cts-titre">Réponses des CTS</h2>
        <NoticeWishForm on={answerNotices} back="/mon-compte" />
      </section>
      <section className="fr-mt-6w" id="mes-donnees" aria-labelledby="mes-donnees-titre">
        <h2 id="mes-donnees-titre">Mes données</h2>
        <p>
          Vous pouvez télécharger tout ce que la plateforme conserve à votre sujet (fichier JSON), ou supprimer votre
          compte. <Link to="/donnees-personnelles">Ce que nous conservons et pourquoi</Link>.
        </p>
        <ul className="fr-btns-group fr-btns-group--inline-md">
          <li>
            <a className="fr-btn fr-btn--secondary" href="/mon-compte/donnees.json" download>
              Télécharger mes données
            </a>
          </li>
          <li>
            <Link className="fr-btn fr-btn--tertiary" to="/mon-compte/suppression">
              Supprimer mon compte
            </Link>
          </li>
        </ul>
      </section>
    </>
  );
}

/** The confirmation step of a change of commune: what happens to each open ballot. */
function ConfirmCommune({
  commune,
  communeName,
  regionName,
  regionChange,
  moved,
  withdrawn,
  regionChangeDays,
}: {
  regionChangeDays: number;
  commune: string;
  communeName: string;
  regionName: string;
  regionChange: boolean;
  moved: string[];
  withdrawn: string[];
}) {
  return (
    <div className="fr-callout fr-mb-3w" data-testid="commune-confirm">
      <h3 className="fr-callout__title">
        Confirmer : {communeName} ({regionName})
      </h3>
      {regionChange ? (
        <p>
          C’est une autre région que la vôtre. Après ce changement, vous ne pourrez plus changer de région pendant{" "}
          {regionChangeDays} jours tant qu’une consultation est ouverte.
        </p>
      ) : null}
      {withdrawn.length ? (
        <>
          <p className="fr-text--bold">Vos votes seront retirés de ces consultations ouvertes :</p>
          <ul data-testid="commune-confirm-withdrawn">
            {withdrawn.map((title) => (
              <li key={title}>{title}</li>
            ))}
          </ul>
        </>
      ) : null}
      {moved.length ? (
        <>
          <p>Vos votes de ces consultations ouvertes compteront dans votre nouveau territoire :</p>
          <ul>
            {moved.map((title) => (
              <li key={title}>{title}</li>
            ))}
          </ul>
        </>
      ) : null}
      {!withdrawn.length && !moved.length ? <p>Aucun de vos votes n’est concerné.</p> : null}
      <Form method="post">
        <input type="hidden" name="intent" value="commune" />
        <input type="hidden" name="step" value="confirm" />
        <input type="hidden" name="commune" value={commune} />
        <ul className="fr-btns-group fr-btns-group--inline-md">
          <li>
            <button className="fr-btn" type="submit">
              Confirmer le changement de commune
            </button>
          </li>
          <li>
            <Link className="fr-btn fr-btn--secondary" to="/mon-compte">
              Annuler
            </Link>
          </li>
        </ul>
      </Form>
    </div>
  );
}

function PasswordForm({ lastResult }: { lastResult: SubmissionResult<string[]> | undefined }) {
  const [form, fields] = useForm({
    id: "password-form",
    lastResult,
    constraint: getZodConstraint(changePasswordSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: changePasswordSchema }),
  });
  return (
    <section className="fr-mb-6w" aria-labelledby="mot-de-passe-titre">
      <h2 id="mot-de-passe-titre">Mon mot de passe</h2>
      {form.errors?.length ? <Notice kind="error">{form.errors.join(" ")}</Notice> : null}
      <Form method="post" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="password" />
        <InputField meta={fields.current} label="Mot de passe actuel" type="password" autoComplete="current-password" />
        <InputField
          meta={fields.password}
          label="Nouveau mot de passe"
          hint={`Au moins ${PASSWORD_MIN} caractères. Vos autres sessions seront fermées.`}
          type="password"
          autoComplete="new-password"
        />
        <InputField
          meta={fields.confirm}
          label="Confirmez le nouveau mot de passe"
          type="password"
          autoComplete="new-password"
        />
        <button className="fr-btn fr-btn--secondary" type="submit">
          Changer mon mot de passe
        </button>
      </Form>
    </section>
  );
}

function DisplayNameForm({
  displayName,
  lastResult,
}: {
  displayName: string | null;
  lastResult: SubmissionResult<string[]> | undefined;
}) {
  const [form, fields] = useForm({
    id: "display-name-form",
    lastResult,
    defaultValue: { displayName: displayName ?? "" },
    constraint: getZodConstraint(displayNameSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: displayNameSchema }),
  });
  return (
    <section className="fr-mb-6w" id="nom-public" aria-labelledby="nom-public-titre">
      <h2 id="nom-public-titre">Mon nom public</h2>
      <p>
        Il signe vos commentaires quand vous le choisissez ; sinon ils sont signés « un·e habitant·e ». Votre
        arrondissement est toujours indiqué ; votre adresse électronique ne l’est jamais.{" "}
        {displayName ? <>Nom actuel : « {displayName} ».</> : "Vous n’avez pas de nom public."}
      </p>
      <Form method="post" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="display_name" />
        <InputField
          meta={fields.displayName}
          label="Nom public (facultatif)"
          hint="De 2 à 40 caractères, par exemple « Camille D. ». Laissez vide pour ne plus en avoir."
          autoComplete="nickname"
        />
        <button className="fr-btn fr-btn--secondary" type="submit">
          Enregistrer mon nom public
        </button>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
