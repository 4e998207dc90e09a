import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { recordAudit } from "~/audit/audit.server";
import { reauthenticate } from "~/identity/authentication.server";
import { endSession } from "~/identity/session.server";
import { requireUser } from "~/web/guards.server";
import { deleteAccount, deletionPreview } from "~/privacy/account-deletion.server";
import { deleteAccountSchema } from "~/privacy/forms";
import { db } from "~/platform/db.server";
import { retryHeaders } from "~/platform/rate-limit.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { FieldErrors, InputField, Notice } from "~/ui/fields";
import { readFormData } from "~/web/form.server";

export const meta: MetaFunction = () => [{ title: "Supprimer mon compte — Priorités Santé" }];

// Carries the action's Retry-After onto the page of a 429.
export const headers: HeadersFunction = ({ actionHeaders }) => actionHeaders;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  return { email: user.email, ...(await deletionPreview(db(), user.id)) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const submission = parseWithZod(await readFormData(request), { schema: deleteAccountSchema });
  if (submission.status !== "success")
    return data({ result: submission.reply({ hideFields: ["password"] }) }, { status: 400 });
  // The password proves the person is at the keyboard; its failures count with the login's.
  const check = await reauthenticate(db(), {
    user,
    password: submission.value.password,
    network: context.clientAddress,
    purpose: "suppression du compte",
  });
  if (!check.ok) {
    const blocked = check.reason === "blocked";
    return data(
      {
        result: submission.reply(
          blocked
            ? { formErrors: [check.message], hideFields: ["password"] }
            : { fieldErrors: { password: ["Mot de passe incorrect."] }, hideFields: ["password"] },
        ),
      },
      blocked ? { status: 429, headers: retryHeaders(check) } : { status: 400 },
    );
  }
  await deleteAccount(db(), { userId: user.id, comments: submission.value.comments });
  // The account is gone: the line keeps no link to it, only what was chosen for the comments.
  await recordAudit(db(), {
    kind: "account_deleted",
    userId: null,
    detail: `compte supprimé par son titulaire (commentaires : ${submission.value.comments})`,
  });
  // The sessions went with the account; this clears the browser's cookie.
  const cookie = await endSession({ user: null, session: null });
  return redirect("/?compte-supprime=1", { headers: { "Set-Cookie": cookie } });
}

export default function DeleteAccount() {
  const { email, ballots, comments } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    constraint: getZodConstraint(deleteAccountSchema),
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: deleteAccountSchema }),
  });
  const choiceInvalid = !!fields.comments.errors?.length;
  return (
    <div className="fr-grid-row">
      <div className="fr-col-12 fr-col-md-10 fr-col-lg-8">
        <h1>Supprimer mon compte</h1>
        <p>
          La suppression du compte <strong>{email}</strong> est définitive. En une seule opération :
        </p>
        <ul>
          <li>
            vos bulletins dans les consultations encore ouvertes sont retirés, et les classements en tiennent compte
            aussitôt{ballots ? ` (${ballots} bulletin${ballots > 1 ? "s" : ""})` : ""} ; les bulletins des consultations
            closes sont déjà anonymes et restent comptés ;
          </li>
          <li>vos commentaires sont supprimés ou conservés sans votre nom, selon votre choix ci-dessous ;</li>
          <li>
            vos mentions « utile », vos signalements, vos sessions, vos rôles et, le cas échéant, votre association et
            ses contributions sont effacés.
          </li>
        </ul>
        <p>
          Vous pouvez d’abord{" "}
          <Link to="/mon-compte/donnees.json" reloadDocument>
            télécharger vos données
          </Link>
          .
        </p>
        {form.errors?.length ? <Notice kind="error">{form.errors.join(" ")}</Notice> : null}
        <Form method="post" {...getFormProps(form)}>
          <fieldset
            className={`fr-fieldset${choiceInvalid ? " fr-fieldset--error" : ""}`}
            id={fields.comments.id}
            aria-labelledby="choix-commentaires-legende"
            {...(choiceInvalid ? { "aria-describedby": fields.comments.errorId } : {})}
          >
            <legend className="fr-fieldset__legend" id="choix-commentaires-legende">
              Vos commentaires{comments ? ` (${comments})` : ""}
            </legend>
            <div className="fr-fieldset__element">
              <div className="fr-radio-group">
                <input
                  type="radio"
                  id="commentaires-supprimer"
                  name={fields.comments.name}
                  value="supprimer"
                  defaultChecked={fields.comments.initialValue === "supprimer"}
                />
                <label className="fr-label" htmlFor="commentaires-supprimer">
                  Supprimer mes commentaires
                  <span className="fr-hint-text">
                    Leur texte est effacé ; les réponses des autres restent, sous « commentaire supprimé ».
                  </span>
                </label>
              </div>
            </div>
            <div className="fr-fieldset__element">
              <div className="fr-radio-group">
                <input
                  type="radio"
                  id="commentaires-anonymiser"
                  name={fields.comments.name}
                  value="anonymiser"
                  defaultChecked={fields.comments.initialValue === "anonymiser"}
                />
                <label className="fr-label" htmlFor="commentaires-anonymiser">
                  Les garder comme « participant supprimé »
                  <span className="fr-hint-text">
                    Le texte reste lisible, signé « participant supprimé », sans lien avec vous.
                  </span>
                </label>
              </div>
            </div>
            {choiceInvalid ? (
              <div className="fr-messages-group" aria-live="assertive">
                <FieldErrors id={fields.comments.errorId} errors={fields.comments.errors} />
              </div>
            ) : null}
          </fieldset>
          <InputField
            meta={fields.password}
            label="Mot de passe"
            hint="Pour confirmer que c’est bien vous."
            type="password"
            autoComplete="current-password"
          />
          <ul className="fr-btns-group fr-btns-group--inline">
            <li>
              <button className="fr-btn" type="submit">
                Supprimer définitivement mon compte
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
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
