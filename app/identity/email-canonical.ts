/**
 * Mail providers known to deliver `prenom.nom@` and `prenomnom@` to the same mailbox (dots in the
 * local part ignored), mapped to the domain their addresses are compared under. Listed in README
 * (« One mailbox, one account »); every other domain keeps its dots.
 */
export const DOT_BLIND_DOMAINS: Readonly<Record<string, string>> = {
  "gmail.com": "gmail.com",
  "googlemail.com": "gmail.com",
};

/**
 * The form two addresses are compared in for uniqueness (docs/domain.md#roles): lower case, a
 * `+tag` of the local part dropped, and, at the providers above, the local part's dots dropped and
 * the domain unified. `Prenom.Nom+vote@googlemail.com` → `prenomnom@gmail.com`. The address people
 * see and e-mails go to stays the one typed.
 */
export function canonicalEmail(email: string): string {
  const lower = email.trim().toLowerCase();
  const at = lower.lastIndexOf("@");
  if (at < 1) return lower;
  let local = lower.slice(0, at);
  let domain = lower.slice(at + 1);
  const plus = local.indexOf("+");
  if (plus > 0) local = local.slice(0, plus);
  const alias = DOT_BLIND_DOMAINS[domain];
  if (alias) {
    domain = alias;
    local = local.replaceAll(".", "");
  }
  return `${local}@${domain}`;
}
