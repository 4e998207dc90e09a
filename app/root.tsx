// First: configures zod before any route module builds a schema (see the file).
import "./ui/zod-browser";
import dsfrHref from "@gouvfr/dsfr/dist/dsfr.min.css";
import iconsHref from "@gouvfr/dsfr/dist/utility/icons/icons.min.css";
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteLoaderData } from "@remix-run/react";
import { useEffect, type ReactNode } from "react";
import { locateCommuneAt } from "./territories/territories.server";
import { db } from "./platform/db.server";
import { GeneralErrorBoundary } from "./ui/error-boundary";
import { Layout, spacesFor, type HeaderUser } from "./ui/layout";
import { useNonce } from "./ui/nonce";
import appHref from "./ui/app.css";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

declare global {
  interface Window {
    dsfr?: { start?: () => void; mode?: string };
  }
}

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: dsfrHref },
  { rel: "stylesheet", href: iconsHref },
  { rel: "stylesheet", href: appHref },
  { rel: "icon", href: "/favicon.ico" },
];

export const meta: MetaFunction = () => [{ title: "Priorités Santé" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const user = context.auth.user;
  if (!user) return { user: null };
  const place = await locateCommuneAt(db(), await context.contentVersion(), user.communeCode);
  const headerUser: HeaderUser = {
    email: user.email,
    emailVerified: user.emailVerified,
    place: place
      ? {
          commune: place.commune.name,
          arrondissement: place.arrondissement.name,
          arrondissementCode: place.arrondissement.code,
        }
      : null,
    spaces: spacesFor(user.roles),
  };
  return { user: headerUser };
}

function Document({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  useEffect(() => {
    window.dsfr?.start?.();
  }, []);
  return (
    <html lang="fr" data-fr-scheme="system">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="format-detection" content="telephone=no" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
        <script src="/dsfr-config.js" nonce={nonce} />
        <script type="module" src="/dsfr/dsfr.module.min.js" nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const data = useRouteLoaderData<typeof loader>("root");
  return (
    <Document>
      <Layout user={data?.user ?? null}>
        <Outlet />
      </Layout>
    </Document>
  );
}

export function ErrorBoundary() {
  const data = useRouteLoaderData<typeof loader>("root");
  return (
    <Document>
      <Layout user={data?.user ?? null}>
        <GeneralErrorBoundary />
      </Layout>
    </Document>
  );
}
