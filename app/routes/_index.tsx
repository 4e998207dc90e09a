import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { listConsultations } from "~/catalogue/catalogue.server";
import { db } from "~/platform/db.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { Notice } from "~/ui/fields";

export const meta: MetaFunction = () => [
  { title: "Priorités Santé — vos priorités pour la santé dans votre territoire" },
  {
    name: "description",
    content:
      "Donnez vos priorités parmi les propositions des ateliers territoriaux du CNR Santé ; elles sont transmises à votre conseil territorial de santé.",
  },
];

export async function loader({ context }: LoaderFunctionArgs) {
  return { signedIn: context.auth.user !== null, consultations: await listConsultations(db()) };
}

export default function Home() {
  const { signedIn, consultations } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  return (
    <>
      {searchParams.get("deconnecte") ? <Notice kind="info">Vous êtes déconnecté.</Notice> : null}
      {searchParams.get("compte-supprime") ? (
        <Notice kind="success" title="Compte supprimé">
          Votre compte et les données qui s’y rattachaient ont été supprimés, et vos bulletins des consultations
          ouvertes retirés des résultats. Merci de votre participation.
        </Notice>
      ) : null}
      <h1>Vos priorités pour la santé dans votre territoire</h1>
      <p className="fr-text--lead">
        À l’automne 2022, des centaines d’ateliers du Conseil national de la refondation en santé (CNR Santé) ont réuni
        habitants, soignants et élus. Ils ont formulé des propositions convergentes sur quatre thèmes : l’accès à un
        médecin traitant, la continuité des soins, l’attractivité des métiers de la santé et la prévention.
      </p>
      <p>
        Priorités Santé vous les présente et vous demande lesquelles comptent le plus pour vous. Vos priorités, comptées
        par arrondissement, sont transmises au conseil territorial de santé (CTS) de votre territoire.
      </p>
      {consultations.length ? (
        <section className="fr-my-4w">
          <h2>Les propositions par région</h2>
          <ul>
            {consultations.map((c) => (
              <li key={c.slug}>
                <Link to={`/consultations/${c.slug}`}>{c.title}</Link> — {c.proposal_count} propositions
              </li>
            ))}
          </ul>
          <p>
            <Link to="/contexte">D’où viennent ces propositions ?</Link> ·{" "}
            <Link to="/glossaire">Que veulent dire les sigles ?</Link>
          </p>
        </section>
      ) : null}
      {signedIn ? (
        <Link className="fr-btn" to="/mon-compte">
          Voir mon compte
        </Link>
      ) : (
        <ul className="fr-btns-group fr-btns-group--inline-md">
          <li>
            <Link className="fr-btn" to="/inscription">
              Créer un compte
            </Link>
          </li>
          <li>
            <Link className="fr-btn fr-btn--secondary" to="/connexion">
              Se connecter
            </Link>
          </li>
        </ul>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
