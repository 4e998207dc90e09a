import { Form, useFetcher } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import type { CommuneMatch } from "./territories.server";
import { COMMUNE_SEARCH_LIMIT, TOO_MANY_COMMUNES } from "./commune-search";

export const COMMUNE_SEARCH_FORM_ID = "commune-search";

/**
 * The search half of the commune picker: a GET form of its own, so that without JavaScript
 * "Rechercher" reloads the page with ?q=… and the results. Render it outside the main form;
 * `CommunePicker` inside the main form points its search box at it.
 */
export function CommuneSearchForm({ keep = {} }: { keep?: Record<string, string> }) {
  return (
    <Form id={COMMUNE_SEARCH_FORM_ID} method="get" replace preventScrollReset>
      {/* Query parameters the page needs besides ?q= (an invitation's token, say). */}
      {Object.entries(keep).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
    </Form>
  );
}

/**
 * Choosing a commune by name or postal code. Works without JavaScript (search reloads the page);
 * with it, results follow the typing. The choice is a plain radio group, which screen readers and
 * keyboards handle natively; the count of results is announced.
 */
export function CommunePicker({
  name,
  query,
  results,
  selected,
  errorId,
  errors,
}: {
  name: string;
  query: string;
  results: CommuneMatch[];
  selected: CommuneMatch | null;
  errorId: string;
  errors?: string[] | undefined;
}) {
  const fetcher = useFetcher<{ results: CommuneMatch[] }>();
  const [typed, setTyped] = useState(query);
  const [checked, setChecked] = useState(selected?.code ?? "");
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(timer.current), []);

  const found = fetcher.data && typed !== query ? fetcher.data.results : results;
  const more = found.length > COMMUNE_SEARCH_LIMIT;
  const live = found.slice(0, COMMUNE_SEARCH_LIMIT);
  // The chosen commune stays on the list even when a new search does not find it.
  const list =
    selected && checked === selected.code && !live.some((c) => c.code === selected.code) ? [selected, ...live] : live;
  const searched = typed.trim().length >= 2;
  const invalid = !!errors?.length;

  function search(value: string) {
    setTyped(value);
    clearTimeout(timer.current);
    if (value.trim().length < 2) return;
    timer.current = setTimeout(() => fetcher.load(`/api/communes?q=${encodeURIComponent(value)}`), 200);
  }

  useEffect(() => {
    const form = document.getElementById(COMMUNE_SEARCH_FORM_ID);
    if (!form) return;
    // With JavaScript, searching never leaves the page (nothing typed elsewhere is lost).
    const onSubmit = (event: Event) => {
      event.preventDefault();
      fetcher.load(`/api/communes?q=${encodeURIComponent(typed)}`);
    };
    form.addEventListener("submit", onSubmit);
    return () => form.removeEventListener("submit", onSubmit);
  }, [fetcher, typed]);

  return (
    <fieldset
      className={`fr-fieldset${invalid ? " fr-fieldset--error" : ""}`}
      aria-labelledby={`${name}-legend`}
      {...(invalid ? { "aria-describedby": errorId } : {})}
    >
      <legend className="fr-fieldset__legend" id={`${name}-legend`}>
        Votre commune
        <span className="fr-hint-text">
          Elle détermine votre arrondissement et votre conseil territorial de santé. À Paris, Lyon et Marseille, vous
          pouvez choisir votre arrondissement municipal.
        </span>
      </legend>
      <div className="fr-fieldset__element">
        <div className="fr-search-bar" role="search">
          <label className="fr-label" htmlFor={`${name}-q`}>
            Nom de la commune ou code postal
          </label>
          <input
            className="fr-input"
            type="search"
            id={`${name}-q`}
            name="q"
            form={COMMUNE_SEARCH_FORM_ID}
            defaultValue={query}
            maxLength={100}
            autoComplete="off"
            placeholder="Ex. : Lisieux ou 14100"
            onChange={(event) => search(event.currentTarget.value)}
          />
          <button className="fr-btn" type="submit" form={COMMUNE_SEARCH_FORM_ID} title="Rechercher la commune">
            Rechercher
          </button>
        </div>
      </div>
      <div className="fr-fieldset__element">
        <p className="fr-sr-only" aria-live="polite" role="status">
          {!searched
            ? ""
            : more
              ? TOO_MANY_COMMUNES
              : `${live.length} commune${live.length > 1 ? "s" : ""} trouvée${live.length > 1 ? "s" : ""}`}
        </p>
        {searched && more ? (
          <p className="fr-message fr-message--info fr-mb-1w" data-testid="commune-more">
            {TOO_MANY_COMMUNES}
          </p>
        ) : null}
        {list.length ? (
          <div className="ps-commune-results" role="radiogroup" aria-label="Communes trouvées">
            {list.map((c) => (
              <div className="fr-radio-group" key={c.code}>
                <input
                  type="radio"
                  id={`${name}-${c.code}`}
                  name={name}
                  value={c.code}
                  checked={checked === c.code}
                  onChange={() => setChecked(c.code)}
                />
                <label className="fr-label" htmlFor={`${name}-${c.code}`}>
                  {c.name}
                  <span className="fr-hint-text">
                    {c.postalCodes.slice(0, 3).join(", ")}
                    {c.postalCodes.length > 3 ? "…" : ""} — {c.departementName} ({c.departementCode})
                  </span>
                </label>
              </div>
            ))}
          </div>
        ) : searched && (fetcher.data ? fetcher.state === "idle" : query === typed) ? (
          <p>Aucune commune ne correspond à « {typed} ». Vérifiez l’orthographe ou essayez le code postal.</p>
        ) : null}
      </div>
      {invalid ? (
        <div className="fr-messages-group" id={errorId} aria-live="assertive">
          <p className="fr-message fr-message--error">{errors?.join(" ")}</p>
        </div>
      ) : null}
    </fieldset>
  );
}
