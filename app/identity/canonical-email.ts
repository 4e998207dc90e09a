/** Providers known to ignore the dots of an address's local part. */
const DOTLESS_DOMAINS = new Set(["gmail.com", "googlemail.com"]);

/**
 * One mailbox's address in one form, to compare addresses (never to show or to write to): lower
 * case, without a `+tag`, without the dots of providers that ignore them.
 * `canonicalEmail(" Jean.Dupont+vote@GoogleMail.com ")` is "jeandupont@gmail.com".
 */
export function canonicalEmail(email: string): string {
  const address = email.trim().toLowerCase();
  const at = address.lastIndexOf("@");
  if (at <= 0) return address;
  let local = address.slice(0, at);
  let domain = address.slice(at + 1);
  const plus = local.indexOf("+");
  if (plus > 0) local = local.slice(0, plus);
  if (DOTLESS_DOMAINS.has(domain)) {
    local = local.replaceAll(".", "");
    domain = "gmail.com";
  }
  return `${local}@${domain}`;
}
