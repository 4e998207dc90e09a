import type { Response as ExpressResponse } from "express";

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/**
 * The page of a refusal made before Remix runs (origin check, body limit, content type, store
 * unreachable): plain French HTML, no session, no database, so it can be answered when neither works.
 */
export function errorPageHtml(title: string, paragraphs: string[]): string {
  return (
    `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escape(title)} — Priorités Santé</title></head><body><main><h1>${escape(title)}</h1>` +
    paragraphs.map((p) => `<p>${escape(p)}</p>`).join("") +
    `<p><a href="/">Revenir à l’accueil</a></p></main></body></html>`
  );
}

export function sendErrorPage(res: ExpressResponse, status: number, title: string, paragraphs: string[]): void {
  res.status(status).set("Cache-Control", "no-store").type("html").send(errorPageHtml(title, paragraphs));
}
