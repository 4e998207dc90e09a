import { getFormProps, getSelectProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { inviteCtsMember, pendingInvitations } from "~/identity/cts-invitations.server";
import { ctsInvitationSchema } from "~/identity/forms";
import { requireRole } from "~/web/guards.server";
import { listCtsTerritoriesWithMembers } from "~/territories/territories.server";
import { db } from "~/platform/db.server";
import { Breadcrumb } from "~/ui/breadcrumb";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { InputField, Notice } from "~/ui/fields";
import { formatDate } from "~/ui/format";
import { DataTable } from "~/ui/table";
import { readFormData } from "~/web/form.server";

export const meta: MetaFunction = () => [{ title: "Membres des CTS — Administration — Priorités Santé" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireRole(context, request, "admin");
  const [territories, pending] = await Promise.all([listCtsTerritoriesWithMembers(db()), pendingInvitations(db())]);
  return { territories, pending };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = requireRole(context, request, "admin");
  const submission = parseWithZod(await readFormData(request), { schema: ctsInvitationSchema });
  if (submission.status !== "success") return data({ result: submission.reply(), sent: null }, { status: 400 });
  const result = await inviteCtsMember(db(), {
    email: submission.value.email,
    ctsCode: submission.value.cts,
    invitedBy: admin.id,
  });
  if (!result.ok) {
    const message =
      result.reason === "unknown_cts"
        ? "Ce territoire de CTS n’existe pas."
        : "Cette personne est déjà membre de ce CTS.";
    return data(
      {
        result: submission.reply({
          fieldErrors: result.reason === "unknown_cts" ? { cts: [message] } : { email: [message] },
        }),
        sent: null,
      },
      { status: result.reason === "unknown_cts" ? 400 : 409 },
    );
  }
  return { result: submission.reply({ resetForm: true }), sent: submission.value.email };
}

export default function AdminCts() {
  const { territories, pending } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    constraint: getZodConstraint(ctsInvitationSchema),
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ctsInvitationSchema }),
  });
  const regions = [...new Set(territories.map((t) => t.region))];
  return (
    <>
      <Breadcrumb items={[{ to: "/admin", label: "Administration" }, { label: "Membres des CTS" }]} />
      <h1>Membres des conseils territoriaux de santé</h1>
      {actionData?.sent ? (
        <Notice kind="success">{`Invitation envoyée à ${actionData.sent}. Le lien est valable 7 jours.`}</Notice>
      ) : null}
      <h2>Inviter une personne</h2>
      <p>
        La personne reçoit un lien : elle rejoint le CTS avec son compte, ou en crée un. Elle verra les rapports de ce
        seul territoire.
      </p>
      <Form method="post" {...getFormProps(form)} className="fr-mb-6w">
        <InputField
          meta={fields.email}
          label="Adresse électronique de la personne à inviter"
          type="email"
          autoComplete="off"
        />
        <div className={`fr-select-group${fields.cts.errors ? " fr-select-group--error" : ""}`}>
          <label className="fr-label" htmlFor={fields.cts.id}>
            Territoire de CTS
          </label>
          <select
            className="fr-select"
            {...getSelectProps(fields.cts)}
            aria-describedby={fields.cts.errors ? fields.cts.errorId : undefined}
          >
            <option value="">Choisir un territoire</option>
            {regions.map((region) => (
              <optgroup key={region} label={region}>
                {territories
                  .filter((t) => t.region === region)
                  .map((t) => (
                    <option key={t.code} value={t.code}>
                      {t.name}
                    </option>
                  ))}
              </optgroup>
            ))}
          </select>
          {fields.cts.errors ? (
            <p className="fr-error-text" id={fields.cts.errorId}>
              {fields.cts.errors.join(" ")}
            </p>
          ) : null}
        </div>
        <button className="fr-btn" type="submit">
          Envoyer l’invitation
        </button>
      </Form>
      <h2>Invitations en attente</h2>
      {pending.length === 0 ? (
        <p>Aucune invitation en attente.</p>
      ) : (
        <DataTable id="invitations" caption="Invitations en attente">
          <thead>
            <tr>
              <th scope="col">Adresse</th>
              <th scope="col">CTS</th>
              <th scope="col">Envoyée le</th>
              <th scope="col">Expire le</th>
            </tr>
          </thead>
          <tbody>
            {pending.map((i) => (
              <tr key={i.id}>
                <td>{i.email}</td>
                <td>{i.cts_name}</td>
                <td>{formatDate(i.created_at)}</td>
                <td>{formatDate(i.expires_at)}</td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
      <h2>Territoires</h2>
      <DataTable id="territoires" caption="Territoires de CTS et nombre de membres">
        <thead>
          <tr>
            <th scope="col">Région</th>
            <th scope="col">CTS</th>
            <th scope="col">Membres</th>
            <th scope="col">Espace</th>
          </tr>
        </thead>
        <tbody>
          {territories.map((t) => (
            <tr key={t.code}>
              <td>{t.region}</td>
              <td>{t.name}</td>
              <td>{t.members}</td>
              <td>
                <Link to={`/cts/${encodeURIComponent(t.code)}`}>Ouvrir</Link>
              </td>
            </tr>
          ))}
        </tbody>
      </DataTable>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
