import type { ReactNode } from "react";

/**
 * A DSFR table. On a narrow screen it scrolls sideways, so its scrolling box is a named region
 * reachable with the keyboard (WCAG 2.1.1; axe "scrollable-region-focusable").
 */
export function DataTable({
  id,
  caption,
  hideCaption = false,
  children,
}: {
  id: string;
  caption: string;
  hideCaption?: boolean;
  children: ReactNode;
}) {
  return (
    <div className={`fr-table fr-table--multiline${hideCaption ? " fr-table--no-caption" : ""}`}>
      <div className="fr-table__wrapper">
        <div className="fr-table__container" tabIndex={0} role="region" aria-labelledby={id}>
          <div className="fr-table__content">
            <table>
              <caption id={id}>{caption}</caption>
              {children}
            </table>
          </div>
        </div>
      </div>
    </div>
  );
}
