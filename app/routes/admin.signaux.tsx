import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { listSignals, SIGNAL_RULES } from "~/identity/signals.server";
import { requireRole } from "~/web/guards.server";
import { db } from "~/platform/db.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { formatDate, formatDateTime } from "~/ui/format";
import { DataTable } from "~/ui/table";
import { Breadcrumb } from "~/ui/breadcrumb";

export const meta: MetaFunction = () => [{ title: "Signaux — Administration — Priorités Santé" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireRole(context, request, "admin");
  const signals = await listSignals(db());
  return {
    rules: SIGNAL_RULES,
    generatedLabel: formatDateTime(signals.generatedAt),
    networks: signals.networks.map((r) => ({ ...r, fromLabel: formatDateTime(`${r.from}:00.000Z`) })),
    communes: signals.communes.map((r) => ({ ...r, dayLabel: formatDate(`${r.day}T12:00:00.000Z`) })),
    mailboxes: signals.mailboxes.map((m) => ({
      ...m,
      accounts: m.accounts.map((a) => ({ ...a, createdLabel: formatDate(a.createdAt) })),
    })),
    ballots: signals.ballots.map((r) => ({ ...r, fromLabel: formatDateTime(`${r.from}:00.000Z`) })),
    reportedAuthors: signals.reportedAuthors,
  };
}

function Empty({ children }: { children: string }) {
  return <p className="fr-text--sm">{children}</p>;
}

export default function Signals() {
  const { rules, generatedLabel, networks, communes, mailboxes, ballots, reportedAuthors } =
    useLoaderData<typeof loader>();
  return (
    <>
      <Breadcrumb items={[{ to: "/admin", label: "Administration" }, { label: "Signaux" }]} />
      <h1>Signaux</h1>
      <p>
        Des regroupements inhabituels, avec leurs chiffres et leurs fenêtres de temps, pour qu’une personne en juge :
        rien n’est supprimé ni bloqué automatiquement. Calculé le {generatedLabel}, sur les {rules.network.lookbackDays}{" "}
        derniers jours.
      </p>

      <h2>Comptes créés depuis un même réseau</h2>
      <p>
        Au moins {rules.network.accounts} inscriptions en {rules.network.window} depuis un même réseau (adresse IPv4, ou
        bloc IPv6 /64). Le réseau n’est pas conservé, seulement une empreinte chiffrée qui permet de compter.
      </p>
      {networks.length ? (
        <DataTable id="signaux-reseaux" caption="Inscriptions par réseau et par heure">
          <thead>
            <tr>
              <th scope="col">Réseau (empreinte)</th>
              <th scope="col">Heure</th>
              <th scope="col">Comptes créés</th>
              <th scope="col">Dont adresse confirmée</th>
            </tr>
          </thead>
          <tbody>
            {networks.map((r) => (
              <tr key={`${r.network}-${r.from}`} data-testid="signal-network">
                <td>{r.network}</td>
                <td>{r.fromLabel}</td>
                <td>{r.accounts}</td>
                <td>{r.verified}</td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      ) : (
        <Empty>Aucun signal de ce type.</Empty>
      )}

      <h2>Inscriptions groupées dans une commune</h2>
      <p>
        Au moins {rules.commune.accounts} inscriptions en {rules.commune.window} dans une même commune.
      </p>
      {communes.length ? (
        <DataTable id="signaux-communes" caption="Inscriptions par commune et par jour">
          <thead>
            <tr>
              <th scope="col">Commune</th>
              <th scope="col">Jour</th>
              <th scope="col">Comptes créés</th>
              <th scope="col">Dont adresse confirmée</th>
            </tr>
          </thead>
          <tbody>
            {communes.map((r) => (
              <tr key={`${r.commune}-${r.day}`} data-testid="signal-commune">
                <td>
                  {r.communeName} ({r.commune})
                </td>
                <td>{r.dayLabel}</td>
                <td>{r.accounts}</td>
                <td>{r.verified}</td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      ) : (
        <Empty>Aucun signal de ce type.</Empty>
      )}

      <h2>Plusieurs comptes pour une même boîte aux lettres</h2>
      <p>
        Comptes créés avant la comparaison des adresses sous leur forme canonique (casse, « +étiquette », points chez
        Gmail) ; aucune fusion n’est faite (même liste : <code>npm run accounts:duplicates</code>).
      </p>
      {mailboxes.length ? (
        <DataTable id="signaux-boites" caption="Boîtes aux lettres portant plusieurs comptes">
          <thead>
            <tr>
              <th scope="col">Boîte aux lettres</th>
              <th scope="col">Comptes</th>
            </tr>
          </thead>
          <tbody>
            {mailboxes.map((m) => (
              <tr key={m.mailbox} data-testid="signal-mailbox">
                <td>{m.mailbox}</td>
                <td>
                  <ul>
                    {m.accounts.map((a) => (
                      <li key={a.id}>
                        {a.email}, créé le {a.createdLabel}, {a.verified ? "adresse confirmée" : "non confirmée"}
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      ) : (
        <Empty>Aucun signal de ce type.</Empty>
      )}

      <h2>Bulletins identiques en rafale</h2>
      <p>
        Au moins {rules.ballots.ballots} bulletins en ligne au contenu identique, dans une même consultation, en{" "}
        {rules.ballots.window}. Des votes identiques peuvent être sincères (une liste recommandée) : à examiner.
      </p>
      {ballots.length ? (
        <DataTable id="signaux-bulletins" caption="Bulletins identiques par consultation et par tranche de 10 minutes">
          <thead>
            <tr>
              <th scope="col">Consultation</th>
              <th scope="col">À partir de</th>
              <th scope="col">Bulletins identiques</th>
            </tr>
          </thead>
          <tbody>
            {ballots.map((r) => (
              <tr key={`${r.consultation}-${r.from}-${r.content}`} data-testid="signal-ballots">
                <td>{r.consultationTitle}</td>
                <td>{r.fromLabel}</td>
                <td>{r.ballots}</td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      ) : (
        <Empty>Aucun signal de ce type.</Empty>
      )}

      <h2>Auteurs signalés par plusieurs personnes</h2>
      <p>
        Au moins {rules.reportedAuthors.reporters} personnes distinctes ont signalé des commentaires d’un même auteur ;
        une personne qui signale plusieurs commentaires du même auteur compte une fois.
      </p>
      {reportedAuthors.length ? (
        <DataTable id="signaux-auteurs" caption="Auteurs signalés">
          <thead>
            <tr>
              <th scope="col">Auteur</th>
              <th scope="col">Personnes ayant signalé</th>
              <th scope="col">Signalements</th>
              <th scope="col">Commentaires signalés</th>
            </tr>
          </thead>
          <tbody>
            {reportedAuthors.map((r) => (
              <tr key={r.author} data-testid="signal-author">
                <td>{r.author}</td>
                <td>{r.reporters}</td>
                <td>{r.flags}</td>
                <td>{r.comments}</td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      ) : (
        <Empty>Aucun signal de ce type.</Empty>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
