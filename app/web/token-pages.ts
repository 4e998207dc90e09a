import type { HeadersFunction } from "@remix-run/node";

/**
 * Pages opened from a link that carries a secret in its query (reset, verification, invitation):
 * no cache nor history keeps them, and the next page opened from them is not told their address
 * (its token) in a Referer header.
 */
export const TOKEN_PAGE_HEADERS = { "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" } as const;

export const tokenPageHeaders: HeadersFunction = ({ actionHeaders, loaderHeaders }) => {
  const headers = new Headers(loaderHeaders);
  actionHeaders.forEach((value, name) => headers.set(name, value));
  for (const [name, value] of Object.entries(TOKEN_PAGE_HEADERS)) headers.set(name, value);
  return headers;
};
