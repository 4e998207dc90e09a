import { startOidcProvider } from "./oidc-provider";

// The local OpenID provider as a process of its own, for Playwright's webServer list (it must be
// up before the app reads its discovery document): port and the app's callback from the argv.
const [port, redirectUri] = process.argv.slice(2);
const provider = await startOidcProvider({ port: Number(port), redirectUris: [redirectUri!] });
console.log(`fournisseur OpenID de test : ${provider.issuer}`);
process.on("SIGTERM", () => void provider.stop().then(() => process.exit(0)));
