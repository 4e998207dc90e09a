/** The sign-up forms' honeypot field: a value in it means a bot. */
export const HONEYPOT_FIELD = "site_web";

/**
 * A field people never see nor hear (off screen, aria-hidden, out of the tab order, no
 * autofill) and bots fill: a filled one marks the form as automated. Its label asks any human
 * who meets it anyway (CSS off) to leave it empty.
 */
export function Honeypot() {
  return (
    <div className="ps-honeypot" aria-hidden="true">
      <label htmlFor={HONEYPOT_FIELD}>Ne remplissez pas ce champ, il sert à repérer les robots</label>
      <input type="text" id={HONEYPOT_FIELD} name={HONEYPOT_FIELD} tabIndex={-1} autoComplete="off" defaultValue="" />
    </div>
  );
}
