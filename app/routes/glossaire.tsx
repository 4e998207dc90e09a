import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { GLOSSARY, glossaryId, type GlossaryEntry } from "~/catalogue/glossary";

export const meta: MetaFunction = () => [
  { title: "Glossaire des sigles — Priorités Santé" },
  {
    name: "description",
    content: "Les sigles des propositions du CNR Santé expliqués simplement : ARS, CPTS, IPA, MSP, SAS…",
  },
];

/** The entries grouped by first letter, in alphabetical order. */
function byLetter(entries: readonly GlossaryEntry[]): [string, GlossaryEntry[]][] {
  const groups = new Map<string, GlossaryEntry[]>();
  for (const entry of [...entries].sort((a, b) => a.abbr.localeCompare(b.abbr, "fr"))) {
    const letter = entry.abbr.charAt(0).toUpperCase();
    const group = groups.get(letter);
    if (group) group.push(entry);
    else groups.set(letter, [entry]);
  }
  return [...groups.entries()];
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export default function Glossary() {
  const groups = byLetter(GLOSSARY);
  return (
    <div className="ps-text">
      <h1>Glossaire des sigles</h1>
      <p className="fr-text--lead">
        Les comptes rendus des ateliers du CNR Santé utilisent beaucoup de sigles : ARS, CPTS, IPA… Cette page les
        explique simplement.
      </p>
      <p>
        Sous le texte de chaque proposition, la ligne « Sigles » renvoie aux explications de cette page. Pour savoir
        d’où viennent les propositions, lisez <Link to="/contexte">Le CNR Santé, d’où viennent les propositions</Link>.
      </p>
      <p className="fr-text--sm">
        {GLOSSARY.length} sigles. Quand un sigle a deux sens dans les comptes rendus, l’explication le signale.
      </p>

      <nav id="index" aria-label="Index alphabétique" className="fr-mb-4w">
        <ul className="fr-tags-group">
          {groups.map(([letter]) => (
            <li key={letter}>
              <a className="fr-tag" href={`#lettre-${letter.toLowerCase()}`}>
                {letter}
              </a>
            </li>
          ))}
        </ul>
      </nav>

      {groups.map(([letter, entries]) => (
        <section key={letter} aria-labelledby={`lettre-${letter.toLowerCase()}`} className="fr-mb-4w">
          <h2 id={`lettre-${letter.toLowerCase()}`}>{letter}</h2>
          <dl>
            {entries.map((entry) => (
              <div key={entry.abbr} className="fr-mb-3w">
                <dt id={glossaryId(entry.abbr)} className="fr-text--lg fr-text--bold fr-mb-1v">
                  <abbr title={entry.expansion}>{entry.abbr}</abbr> : {capitalize(entry.expansion)}
                </dt>
                <dd className="fr-ml-0">
                  <p className="fr-mb-0">{entry.definition}</p>
                </dd>
              </div>
            ))}
          </dl>
          <p className="fr-text--sm">
            <a className="fr-link fr-icon-arrow-up-line fr-link--icon-left" href="#index">
              Retour à l’index
            </a>
          </p>
        </section>
      ))}
    </div>
  );
}
