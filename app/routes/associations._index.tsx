import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listVerifiedAssociations } from "~/associations/associations.server";
import { db } from "~/platform/db.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";

export const meta: MetaFunction = () => [{ title: "Associations — Priorités Santé" }];

export async function loader({ context }: LoaderFunctionArgs) {
  return { associations: await listVerifiedAssociations(db()), signedIn: !!context.auth.user };
}

export default function Associations() {
  const { associations, signedIn } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Associations</h1>
      <p>
        Les associations vérifiées par l’ARS publient des contributions argumentées sur les propositions des
        consultations de leurs territoires. Elles ne votent pas : le classement est celui des habitants.
      </p>
      {!signedIn ? (
        <p>
          Vous représentez une association ? <Link to="/associations/inscription">Inscrire l’association</Link>
        </p>
      ) : null}
      {associations.length === 0 ? <p>Aucune association vérifiée pour l’instant.</p> : null}
      <ul className="ps-plain-list">
        {associations.map((a) => (
          <li key={a.id} className="fr-mb-3w" data-testid="association">
            <h2 className="fr-h5 fr-mb-1w">
              <Link to={`/associations/${a.slug}`}>{a.name}</Link>
            </h2>
            <p className="fr-text--sm fr-mb-0">
              <span className="fr-badge fr-badge--sm fr-badge--purple-glycine fr-mr-1w">Association vérifiée</span>
              {a.territories.map((t) => t.label).join(", ")} · {a.contributions} contribution
              {a.contributions > 1 ? "s" : ""}
            </p>
          </li>
        ))}
      </ul>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
