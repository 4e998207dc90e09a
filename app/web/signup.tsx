import type { Submission } from "@conform-to/react";
import { Link } from "@remix-run/react";
import type { SignupDecision } from "~/identity/signup.server";
import { Notice } from "~/ui/fields";
import { HONEYPOT_FIELD } from "~/ui/honeypot";

// The two sign-up pages (residents, associations) answer a refused form the same way.

type Refusal = Exclude<SignupDecision, { kind: "sent" }>;

/** The form as it was sent, but its password, with the reason where it belongs. */
export function signupReply(submission: Submission<unknown, string[], unknown>, decision: Refusal) {
  if (decision.kind === "refused")
    return submission.reply({ formErrors: [decision.message], hideFields: ["password", HONEYPOT_FIELD] });
  if (decision.kind === "field")
    return submission.reply({ fieldErrors: { [decision.field]: [decision.message] }, hideFields: ["password"] });
  return submission.reply({ hideFields: ["password"] });
}

/** The status (and the Retry-After of a 429) of a refused sign-up. */
export function signupStatus(decision: Refusal): ResponseInit {
  if (decision.kind === "refused")
    return { status: decision.status, ...(decision.headers ? { headers: decision.headers } : {}) };
  return { status: 400 };
}

/**
 * What every accepted sign-up form leads to, whether the address was new or already had an
 * account (its owner gets an e-mail saying so): nothing here tells the two apart.
 */
export function SignupSent() {
  return (
    <div className="fr-grid-row fr-grid-row--center">
      <div className="fr-col-12 fr-col-md-8 fr-col-lg-6">
        <h1>Vérifiez votre messagerie</h1>
        <Notice kind="success" title="Demande enregistrée">
          Un e-mail vient d’être envoyé à l’adresse indiquée. Il contient le lien qui confirme votre adresse (valable 24
          heures) ; si cette adresse avait déjà un compte, il vous explique comment vous y connecter.
        </Notice>
        <p>
          Rien reçu après quelques minutes ? Regardez dans les courriers indésirables. Une fois l’adresse confirmée,{" "}
          <Link to="/connexion">connectez-vous</Link>.
        </p>
      </div>
    </div>
  );
}
