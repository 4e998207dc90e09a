import { getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { ASSURANCE_LABELS } from "~/identity/assurance";
import { agentDepartements, confirmAtCounter, findPersonForCounter } from "~/identity/counter.server";
import { counterConfirmSchema, counterSearchSchema } from "~/identity/residence-forms";
import { db } from "~/platform/db.server";
import { Refusal } from "~/platform/refusal";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { FieldErrors, InputField, Notice } from "~/ui/fields";
import { REFUSAL_STATUS } from "~/web/access.server";
import { readFormData } from "~/web/form.server";
import { requireRole } from "~/web/guards.server";

export const meta: MetaFunction = () => [{ title: "Guichet — Priorités Santé" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const agent = requireRole(context, request, "counter_agent");
  const email = new URL(request.url).searchParams.get("email");
  const departements = await agentDepartements(db(), agent.id);
  const search = email === null ? null : counterSearchSchema.safeParse({ email });
  const person = search?.success ? await findPersonForCounter(db(), agent.id, search.data.email) : null;
  return {
    departements,
    email: email ?? "",
    searched: email !== null,
    searchError: search && !search.success ? search.error.issues[0]!.message : null,
    person: person && { ...person, levelLabel: ASSURANCE_LABELS[person.level] },
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const agent = requireRole(context, request, "counter_agent");
  const submission = parseWithZod(await readFormData(request), { schema: counterConfirmSchema });
  if (submission.status !== "success") return data({ result: submission.reply(), message: null }, { status: 400 });
  try {
    const person = await confirmAtCounter(db(), { agentId: agent.id, userId: submission.value.userId });
    return {
      result: submission.reply({ resetForm: true }),
      message: `${person.email} est confirmé·e en personne pour ${person.communeName} : niveau de garantie « ${ASSURANCE_LABELS[person.level]} ».`,
    };
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    throw new Response(error.message, { status: REFUSAL_STATUS[error.code] });
  }
}

export default function Counter() {
  const { departements, email, searched, searchError, person } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "confirm-form",
    lastResult: actionData?.result,
    constraint: getZodConstraint(counterConfirmSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: counterConfirmSchema }),
  });
  const [searchForm, searchFields] = useForm({
    id: "search-form",
    defaultValue: { email },
    constraint: getZodConstraint(counterSearchSchema),
  });
  return (
    <>
      <h1>Guichet : confirmer une personne</h1>
      <p>
        Vous êtes habilité·e pour {departements.length > 1 ? "les départements" : "le département"}{" "}
        {departements.join(", ")}. Cherchez la personne par son adresse électronique, vérifiez ses papiers, puis
        confirmez.
      </p>
      {actionData?.message ? <Notice kind="success">{actionData.message}</Notice> : null}
      <Form method="get" {...getFormProps(searchForm)} className="fr-mb-4w">
        <InputField meta={searchFields.email} label="Adresse électronique de la personne" type="email" />
        {searchError ? <Notice kind="error">{searchError}</Notice> : null}
        <button className="fr-btn fr-btn--secondary" type="submit">
          Chercher
        </button>
      </Form>
      {searched && !searchError && !person ? (
        <Notice kind="info">Aucune personne de votre territoire n’a cette adresse électronique.</Notice>
      ) : null}
      {person ? (
        <section aria-labelledby="personne-titre">
          <h2 id="personne-titre">{person.email}</h2>
          <dl data-testid="counter-person">
            <dt className="fr-text--bold">Commune déclarée</dt>
            <dd>
              {person.communeName} ({person.communeCode}), {person.departementName}
            </dd>
            <dt className="fr-text--bold">Niveau de garantie</dt>
            <dd>{person.levelLabel}</dd>
            <dt className="fr-text--bold">Adresse électronique</dt>
            <dd>{person.emailVerified ? "confirmée" : "pas encore confirmée"}</dd>
          </dl>
          <Form method="post" {...getFormProps(form)}>
            <input type="hidden" name={fields.userId.name} value={person.id} />
            <div className={`fr-checkbox-group${fields.checked.errors?.length ? " fr-checkbox-group--error" : ""}`}>
              <input
                type="checkbox"
                id={fields.checked.id}
                name={fields.checked.name}
                required
                aria-describedby={fields.checked.errors?.length ? fields.checked.errorId : undefined}
              />
              <label className="fr-label" htmlFor={fields.checked.id}>
                J’ai vérifié une pièce d’identité et un justificatif de domicile à {person.communeName}
              </label>
              <FieldErrors id={fields.checked.errorId} errors={fields.checked.errors} />
            </div>
            <button className="fr-btn fr-mt-2w" type="submit">
              Confirmer la résidence en personne
            </button>
          </Form>
        </section>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
