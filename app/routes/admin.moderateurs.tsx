import { getFormProps, getSelectProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { moderatorRoleSchema } from "~/identity/forms";
import { grantScopedRole, listModerators, revokeScopedRole } from "~/identity/scoped-roles.server";
import { db } from "~/platform/db.server";
import { Refusal } from "~/platform/refusal";
import { listRegions } from "~/territories/territories.server";
import { Breadcrumb } from "~/ui/breadcrumb";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { FieldErrors, InputField, Notice, withoutKey } from "~/ui/fields";
import { formatDate } from "~/ui/format";
import { DataTable } from "~/ui/table";
import { REFUSAL_STATUS } from "~/web/access.server";
import { readFormData } from "~/web/form.server";
import { requireRole } from "~/web/guards.server";

export const meta: MetaFunction = () => [{ title: "Modérateurs — Administration — Priorités Santé" }];

const DONE = {
  ajout: "Rôle de modérateur·rice donné ; la personne en est informée par e-mail.",
  retrait: "Rôle de modérateur·rice retiré ; la personne en est informée par e-mail.",
} as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireRole(context, request, "admin");
  const [moderators, regions] = await Promise.all([listModerators(db()), listRegions(db())]);
  return { moderators, regions };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = requireRole(context, request, "admin");
  const submission = parseWithZod(await readFormData(request), { schema: moderatorRoleSchema });
  if (submission.status !== "success") {
    return data({ result: submission.reply(), removal: null }, { status: 400 });
  }
  const { intent, email, region } = submission.value;
  const change = { email, role: "moderator" as const, scope: region, by: { id: admin.id, label: "un administrateur" } };
  try {
    await (intent === "grant" ? grantScopedRole(db(), change) : revokeScopedRole(db(), change));
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    // A removal's errors are shown above the table; the grant form's beside its fields.
    const field = error.code === "invalid" ? "region" : "email";
    return data(
      {
        result: submission.reply(intent === "grant" ? { fieldErrors: { [field]: [error.message] } } : {}),
        removal: intent === "remove" ? error.message : null,
      },
      { status: REFUSAL_STATUS[error.code] },
    );
  }
  return redirect(`/admin/moderateurs?fait=${intent === "grant" ? "ajout" : "retrait"}`, 303);
}

export default function AdminModerators() {
  const { moderators, regions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const done = params.get("fait");
  const [form, fields] = useForm({
    id: "donner-moderation",
    lastResult: actionData?.removal ? undefined : actionData?.result,
    constraint: getZodConstraint(moderatorRoleSchema),
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: moderatorRoleSchema }),
  });
  const regionInvalid = !!fields.region.errors?.length;
  return (
    <>
      <Breadcrumb items={[{ to: "/admin", label: "Administration" }, { label: "Modérateurs" }]} />
      <h1>Modérateurs</h1>
      <p>
        Un·e modérateur·rice examine, pour une région, les commentaires et contributions signalés de ses consultations.
        Chaque ajout et chaque retrait est inscrit au journal de sécurité, et la personne en est informée par e-mail.
        Les administrateurs modèrent toutes les régions sans ce rôle.
      </p>
      {done === "ajout" || done === "retrait" ? <Notice kind="success">{DONE[done]}</Notice> : null}
      {actionData?.removal ? <Notice kind="error">{actionData.removal}</Notice> : null}
      <h2>Donner le rôle</h2>
      <p>La personne doit avoir un compte (elle s’inscrit d’abord si besoin).</p>
      <Form method="post" {...getFormProps(form)} className="fr-mb-6w">
        {fields.intent.errors?.length ? <Notice kind="error">{fields.intent.errors.join(" ")}</Notice> : null}
        <InputField
          meta={fields.email}
          label="Adresse électronique du compte de la personne"
          type="email"
          autoComplete="off"
        />
        <div className={`fr-select-group${regionInvalid ? " fr-select-group--error" : ""}`}>
          <label className="fr-label" htmlFor={fields.region.id}>
            Région à modérer
          </label>
          <select
            key={fields.region.key}
            className={`fr-select${regionInvalid ? " fr-select--error" : ""}`}
            {...withoutKey(getSelectProps(fields.region))}
          >
            <option value="">Choisir une région</option>
            {regions.map((r) => (
              <option key={r.code} value={r.code}>
                {r.name}
              </option>
            ))}
          </select>
          <FieldErrors id={fields.region.errorId} errors={fields.region.errors} />
        </div>
        <button className="fr-btn" type="submit" name="intent" value="grant">
          Donner le rôle de modérateur·rice
        </button>
      </Form>
      <h2>Modérateurs en fonction</h2>
      {moderators.length === 0 ? (
        <p>Aucun modérateur pour l’instant.</p>
      ) : (
        <DataTable id="moderateurs" caption="Modérateurs par région">
          <thead>
            <tr>
              <th scope="col">Région</th>
              <th scope="col">Adresse</th>
              <th scope="col">Depuis le</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {moderators.map((m) => (
              <tr key={`${m.userId}-${m.regionCode}`} data-testid="moderator-row">
                <td>{m.regionName}</td>
                <td>{m.email}</td>
                <td>{formatDate(m.since)}</td>
                <td>
                  <Form method="post">
                    <input type="hidden" name="email" value={m.email} />
                    <input type="hidden" name="region" value={m.regionCode} />
                    {/* The name says which row (a screen reader lists the buttons apart from the table). A
                        visually hidden span would be positioned outside the table's scrolling box at 320 px. */}
                    <button
                      className="fr-btn fr-btn--sm fr-btn--tertiary"
                      type="submit"
                      name="intent"
                      value="remove"
                      aria-label={`Retirer la modération de la région ${m.regionName} à ${m.email}`}
                    >
                      Retirer
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
