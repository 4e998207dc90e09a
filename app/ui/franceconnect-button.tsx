import { Form } from "@remix-run/react";

/**
 * The FranceConnect button as the DSFR draws it (component « connect »), in a form posting to
 * /franceconnect/connexion, which sends the browser on to the provider.
 */
export function FranceConnectButton({ returnTo, label = "S’identifier avec" }: { returnTo?: string; label?: string }) {
  return (
    <div className="fr-connect-group">
      <Form method="post" action="/franceconnect/connexion" reloadDocument>
        {returnTo ? <input type="hidden" name="redirectTo" value={returnTo} /> : null}
        <button className="fr-connect" type="submit">
          <span className="fr-connect__login">{label}</span> <span className="fr-connect__brand">FranceConnect</span>
        </button>
      </Form>
      <p>
        <a
          href="https://franceconnect.gouv.fr/"
          target="_blank"
          rel="noopener noreferrer"
          title="Qu’est-ce que FranceConnect ? - nouvelle fenêtre"
        >
          Qu’est-ce que FranceConnect ?
        </a>
      </p>
    </div>
  );
}
