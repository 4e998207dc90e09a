import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { changeCommuneSchema } from "~/identity/forms";
import {
  createFromPendingIdentity,
  FranceConnectRefusal,
  linkPendingIdentity,
  pendingIdentity,
} from "~/identity/franceconnect.server";
import { startSession } from "~/identity/session.server";
import { db } from "~/platform/db.server";
import { CommunePicker, CommuneSearchForm } from "~/territories/commune-picker";
import { searchCommunes } from "~/territories/territories.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { Notice } from "~/ui/fields";
import { readFormData } from "~/web/form.server";
import { dropKey, franceConnectFailure, readKey, requireFranceConnect } from "~/web/franceconnect.server";

// FranceConnect vouched for an identity no account holds yet: the person says yes to linking it
// to the account of the same e-mail, or creates an account in their commune. Nothing is linked
// or created before they say so.

export const meta: MetaFunction = () => [{ title: "Votre identité FranceConnect — Priorités Santé" }];

const linkSchema = z.object({ intent: z.literal("link") });
const createSchema = changeCommuneSchema.extend({ intent: z.literal("create") });

export async function loader({ request }: LoaderFunctionArgs) {
  requireFranceConnect();
  const pending = await pendingIdentity(db(), await readKey(request));
  if (!pending) {
    throw new Response(
      "Cette connexion avec FranceConnect a expiré ou a déjà servi. Recommencez depuis la page de connexion.",
      { status: 400 },
    );
  }
  const query = (new URL(request.url).searchParams.get("q") ?? "").slice(0, 100);
  return { ...pending, query, results: query ? await searchCommunes(db(), query) : [] };
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireFranceConnect();
  const key = await readKey(request);
  const formData = await readFormData(request);
  try {
    let done;
    if (formData.get("intent") === "link") {
      const submission = parseWithZod(formData, { schema: linkSchema });
      if (submission.status !== "success") throw new Response("Action inconnue.", { status: 400 });
      done = await linkPendingIdentity(db(), { key, network: context.clientAddress });
    } else {
      const submission = parseWithZod(formData, { schema: createSchema });
      if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
      try {
        done = await createFromPendingIdentity(db(), {
          key,
          communeCode: submission.value.commune,
          network: context.clientAddress,
        });
      } catch (error) {
        if (error instanceof FranceConnectRefusal && /Commune inconnue/.test(error.message)) {
          return data({ result: submission.reply({ fieldErrors: { commune: [error.message] } }) }, { status: 400 });
        }
        throw error;
      }
    }
    const headers = new Headers({ "Set-Cookie": await dropKey() });
    headers.append("Set-Cookie", await startSession(done.userId));
    return redirect(done.returnTo ?? "/mon-compte", { headers });
  } catch (error) {
    if (error instanceof Response) throw error;
    throw await franceConnectFailure(error);
  }
}

export default function FranceConnectConfirm() {
  const { email, choice, query, results } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "franceconnect-create",
    lastResult: actionData?.result,
    constraint: getZodConstraint(createSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: createSchema }),
  });
  return (
    <div className="fr-grid-row fr-grid-row--center">
      <div className="fr-col-12 fr-col-md-8">
        <h1>Votre identité FranceConnect</h1>
        {choice === "link" ? (
          <>
            <p>
              FranceConnect a confirmé votre identité et l’adresse <strong>{email}</strong>. Un compte existe déjà sur
              Priorités Santé avec cette adresse.
            </p>
            <p>
              Si ce compte est le vôtre, rattachez-y votre identité : vous pourrez ensuite vous connecter avec
              FranceConnect, et votre compte atteindra le niveau de garantie « Identité ».
            </p>
            <Form method="post">
              <input type="hidden" name="intent" value="link" />
              <button className="fr-btn" type="submit">
                Oui, rattacher mon identité à ce compte
              </button>
            </Form>
            <p className="fr-mt-2w">
              Ce n’est pas votre compte ? <Link to="/">Revenir à l’accueil</Link> : rien n’a été modifié.
            </p>
          </>
        ) : choice === "create" ? (
          <>
            <p>
              FranceConnect a confirmé votre identité et l’adresse <strong>{email}</strong>. Aucun compte n’existe
              encore avec cette adresse : créez le vôtre en choisissant votre commune. Votre adresse sera considérée
              comme confirmée et votre compte aura le niveau de garantie « Identité ».
            </p>
            <CommuneSearchForm />
            <Form method="post" {...getFormProps(form)}>
              <input type="hidden" name="intent" value="create" />
              <CommunePicker
                name={fields.commune.name}
                query={query}
                results={results}
                selected={null}
                errorId={fields.commune.errorId}
                errors={fields.commune.errors}
              />
              <button className="fr-btn fr-mt-2w" type="submit">
                Créer mon compte
              </button>
            </Form>
          </>
        ) : (
          <Notice kind="error" title="Rattachement impossible">
            {email
              ? "Un compte existe avec cette adresse et il est déjà rattaché à une autre identité FranceConnect."
              : "FranceConnect n’a pas transmis d’adresse électronique confirmée."}{" "}
            Connectez-vous avec votre adresse électronique et votre mot de passe.
          </Notice>
        )}
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
