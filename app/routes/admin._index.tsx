import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/web/guards.server";
import { listConsultationsForAdmin } from "~/catalogue/catalogue.server";
import { METHOD_NAMES, STATUS_LABELS } from "~/catalogue/themes";
import { db } from "~/platform/db.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { DataTable } from "~/ui/table";

export const meta: MetaFunction = () => [{ title: "Administration — Priorités Santé" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireRole(context, request, "admin");
  return { consultations: await listConsultationsForAdmin(db()) };
}

export default function AdminHome() {
  const { consultations } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Administration</h1>
      <ul className="fr-mb-4w">
        <li>
          <Link to="/admin/associations">Vérification des associations</Link>
        </li>
        <li>
          <Link to="/admin/moderation">Journal de modération</Link>
        </li>
        <li>
          <Link to="/admin/moderateurs">Modérateurs (donner ou retirer le rôle, par région)</Link>
        </li>
        <li>
          <Link to="/moderation">File de modération (toutes les régions)</Link>
        </li>
        <li>
          <Link to="/admin/cts">Membres des conseils territoriaux de santé (invitations)</Link>
        </li>
        <li>
          <Link to="/admin/reponses-cts">Réponses des CTS : part des dix premières priorités répondues</Link>
        </li>
        <li>
          <Link to="/admin/courriers">Courriers de code (preuve de résidence)</Link>
        </li>
        <li>
          <Link to="/admin/journal">Journal de sécurité</Link>
        </li>
        <li>
          <Link to="/admin/signaux">Signaux : inscriptions et votes groupés, comptes en double, auteurs signalés</Link>
        </li>
      </ul>
      <DataTable id="consultations-admin" caption="Consultations">
        <thead>
          <tr>
            <th scope="col">Consultation</th>
            <th scope="col">Région</th>
            <th scope="col">Méthode</th>
            <th scope="col">Phase</th>
            <th scope="col">Bulletins</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {consultations.map((c) => (
            <tr key={c.slug}>
              <td>
                <Link to={`/admin/consultations/${c.slug}`}>{c.title}</Link>
              </td>
              <td>{c.region_name}</td>
              <td>{METHOD_NAMES[c.method]}</td>
              <td>{STATUS_LABELS[c.status]}</td>
              <td>{c.ballots.toLocaleString("fr-FR")}</td>
              <td>
                <Link to={`/admin/consultations/${c.slug}/bulletins-papier`}>Bulletins papier</Link>
                {" · "}
                <Link to={`/consultations/${c.slug}/resultats`}>Résultats</Link>
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
