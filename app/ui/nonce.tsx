import { createContext, useContext } from "react";

// The CSP nonce of the response being rendered. Given by app/entry.server.tsx on the server; in the
// browser it is "" (browsers hide nonces from the DOM, and scripts React adds later need none:
// they are Remix's own, loaded from this origin).
const NonceContext = createContext("");

export const NonceProvider = NonceContext.Provider;

export function useNonce(): string {
  return useContext(NonceContext);
}
