import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
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

/** One kind of signal: its table, or a line saying there is none. */
function SignalTable({
  id,
  caption,
  head,
  testId,
  rows,
}: {
  id: string;
  caption: string;
  head: string[];
  testId: string;
  rows: { key: string; cells: ReactNode[] }[];
}) {
  if (!rows.length) return <p className="fr-text--sm">Aucun signal de ce type.</p>;
  return (
    <DataTable id={id} caption={caption}>
      <thead>
        <tr>
          {head.map((h) => (
            <th scope="col" key={h}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key} data-testid={testId}>
            {r.cells.map((c, i) => (
              <td key={i}>{c}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </DataTable>
  );
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
      <SignalTable
        id="signaux-reseaux"
        caption="Inscriptions par réseau et par heure"
        head={["Réseau (empreinte)", "Heure", "Comptes créés", "Dont adresse confirmée"]}
        testId="signal-network"
        rows={networks.map((r) => ({
          key: `${r.network}-${r.from}`,
          cells: [r.network, r.fromLabel, r.accounts, r.verified],
        }))}
      />

      <h2>Inscriptions groupées dans une commune</h2>
      <p>
        Au moins {rules.commune.accounts} inscriptions en {rules.commune.window} dans une même commune.
      </p>
      <SignalTable
        id="signaux-communes"
        caption="Inscriptions par commune et par jour"
        head={["Commune", "Jour", "Comptes créés", "Dont adresse confirmée"]}
        testId="signal-commune"
        rows={communes.map((r) => ({
          key: `${r.commune}-${r.day}`,
          cells: [`${r.communeName} (${r.commune})`, r.dayLabel, r.accounts, r.verified],
        }))}
      />

      <h2>Plusieurs comptes pour une même boîte aux lettres</h2>
      <p>
        Comptes créés avant la comparaison des adresses sous leur forme canonique (casse, « +étiquette », points chez
        Gmail) ; aucune fusion n’est faite (même liste : <code>npm run accounts:duplicates</code>).
      </p>
      <SignalTable
        id="signaux-boites"
        caption="Boîtes aux lettres portant plusieurs comptes"
        head={["Boîte aux lettres", "Comptes"]}
        testId="signal-mailbox"
        rows={mailboxes.map((m) => ({
          key: m.mailbox,
          cells: [
            m.mailbox,
            <ul key="accounts">
              {m.accounts.map((a) => (
                <li key={a.id}>
                  {a.email}, créé le {a.createdLabel}, {a.verified ? "adresse confirmée" : "non confirmée"}
                </li>
              ))}
            </ul>,
          ],
        }))}
      />

      <h2>Bulletins identiques en rafale</h2>
      <p>
        Au moins {rules.ballots.ballots} bulletins en ligne au contenu identique, dans une même consultation, en{" "}
        {rules.ballots.window}. Des votes identiques peuvent être sincères (une liste recommandée) : à examiner.
      </p>
      <SignalTable
        id="signaux-bulletins"
        caption="Bulletins identiques par consultation et par tranche de 10 minutes"
        head={["Consultation", "À partir de", "Bulletins identiques"]}
        testId="signal-ballots"
        rows={ballots.map((r) => ({
          key: `${r.consultation}-${r.from}-${r.content}`,
          cells: [r.consultationTitle, r.fromLabel, r.ballots],
        }))}
      />

      <h2>Auteurs signalés par plusieurs personnes</h2>
      <p>
        Au moins {rules.reportedAuthors.reporters} personnes distinctes ont signalé des commentaires d’un même auteur ;
        une personne qui signale plusieurs commentaires du même auteur compte une fois.
      </p>
      <SignalTable
        id="signaux-auteurs"
        caption="Auteurs signalés"
        head={["Auteur", "Personnes ayant signalé", "Signalements", "Commentaires signalés"]}
        testId="signal-author"
        rows={reportedAuthors.map((r) => ({ key: r.author, cells: [r.author, r.reporters, r.flags, r.comments] }))}
      />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
