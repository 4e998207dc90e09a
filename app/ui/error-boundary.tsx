import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";

const MESSAGES: Record<number, { title: string; text: string }> = {
  400: {
    title: "Demande non comprise",
    text: "Les informations envoyées n’ont pas pu être lues : rien n’a été enregistré. Revenez à la page précédente et réessayez.",
  },
  403: {
    title: "Accès refusé",
    text: "Vous n’avez pas accès à cette page ou à cette action. Connectez-vous avec le compte qui y a accès, ou revenez à l’accueil.",
  },
  404: {
    title: "Page non trouvée",
    text: "La page que vous cherchez est introuvable. Vérifiez l’adresse, ou revenez à l’accueil.",
  },
  405: {
    title: "Action impossible à cette adresse",
    text: "Cette adresse ne s’utilise pas de cette façon. Revenez à la page précédente et utilisez ses boutons.",
  },
  409: {
    title: "Action déjà faite ou dépassée",
    text: "Les données ont changé entre-temps. Rechargez la page pour voir leur état actuel, puis réessayez si besoin.",
  },
  429: { title: "Trop de tentatives", text: "Merci de patienter quelques minutes avant de réessayer." },
};

/** The one error view: every route's ErrorBoundary renders it, in the site's look. */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  let status = 500;
  let detail: string | null = null;
  if (isRouteErrorResponse(error)) {
    status = error.status;
    // Thrown Responses carry a French message meant for the person.
    if (typeof error.data === "string" && error.data && !/^(Not Found|Forbidden|Bad Request)$/.test(error.data)) {
      detail = error.data;
    }
  } else if (error instanceof Error) {
    console.error(error);
  }
  const message = MESSAGES[status] ?? {
    title: "Erreur inattendue",
    text: "Une erreur est survenue de notre côté. Réessayez dans quelques instants ; si elle persiste, signalez-la.",
  };
  return (
    <div className="fr-grid-row">
      <div className="fr-col-12 fr-col-md-8">
        <h1>{message.title}</h1>
        <p className="fr-text--lead fr-mb-3w">{detail ?? message.text}</p>
        <ul className="fr-btns-group fr-btns-group--inline-md">
          <li>
            <Link className="fr-btn" to="/">
              Page d’accueil
            </Link>
          </li>
        </ul>
      </div>
    </div>
  );
}
