import { randomUUID } from "node:crypto";
import SQLite from "better-sqlite3";
import { expect, type Locator, type Page } from "@playwright/test";
import { readLinkFromOutbox, signInDirectly, waitForHydration } from "./helpers";

// Helpers for the comment, association and moderation journeys. Roles are granted straight in
// the server's database, as `npm run admin:create` would; roles are read at every request.

export const CONSULTATION = "normandie-cnr-sante-2022";
export const PROPOSAL_SLUG = "developper-les-dispositifs-d-aller-vers-en-prevention";
export const PROPOSAL = `/consultations/${CONSULTATION}/propositions/${PROPOSAL_SLUG}`;

export function database(readonly = false) {
  return new SQLite(process.env.E2E_SQLITE_FILE!, { readonly, fileMustExist: true, timeout: 5000 });
}

export function userId(email: string): string {
  const db = database(true);
  try {
    return (db.prepare("select id from users where email = ?").get(email) as { id: string }).id;
  } finally {
    db.close();
  }
}

export function grantRole(email: string, role: "admin" | "moderator" | "cts_member" | "association", scope = ""): void {
  const db = database();
  try {
    const user = db.prepare("select id from users where email = ?").get(email) as { id: string };
    db.prepare("insert or ignore into user_roles (user_id, role, scope, created_at) values (?, ?, ?, ?)").run(
      user.id,
      role,
      scope,
      new Date().toISOString(),
    );
  } finally {
    db.close();
  }
}

/** One number from the server's database (`select count(*) as n …`). */
export function countRows(query: string, ...params: unknown[]): number {
  const db = database(true);
  try {
    return (db.prepare(query).get(...params) as { n: number }).n;
  } finally {
    db.close();
  }
}

export function run(query: string, ...params: unknown[]): void {
  const db = database();
  try {
    db.prepare(query).run(...params);
  } finally {
    db.close();
  }
}

/** Confirms the address through the e-mailed link, as a person does. */
export async function confirmEmail(page: Page, email: string): Promise<void> {
  const link = await readLinkFromOutbox(page, email, "/verification");
  await page.goto(link);
  await page.getByRole("button", { name: "Confirmer mon adresse" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Adresse confirmée" })).toBeVisible();
}

/** A new, confirmed resident of Lisieux (or elsewhere), signed in on `page`. */
export async function newResident(
  page: Page,
  {
    label = "habitant",
    search,
    commune,
    displayName,
  }: { label?: string; search?: string; commune?: RegExp; displayName?: string } = {},
): Promise<string> {
  const email = await signInDirectly(page, { label, ...(search ? { search } : {}), ...(commune ? { commune } : {}) });
  if (displayName) await setDisplayName(page, displayName);
  return email;
}

export async function setDisplayName(page: Page, name: string): Promise<void> {
  await page.goto("/mon-compte");
  await waitForHydration(page);
  await page.getByLabel("Nom public (facultatif)").fill(name);
  await page.getByRole("button", { name: "Enregistrer mon nom public" }).click();
  await expect(page.getByText("Votre nom public est désormais")).toBeVisible();
}

/** Checks a DSFR radio button by clicking its label (the DSFR draws the button inside it). */
export async function chooseRadio(scope: Locator | Page, name: string | RegExp): Promise<void> {
  const radio = scope.getByRole("radio", { name, exact: typeof name === "string" });
  const id = await radio.getAttribute("id");
  await scope.locator(`label[for="${id}"]`).click();
  await expect(radio).toBeChecked();
}

export function newCommentForm(page: Page): Locator {
  return page.locator("form#comment-new");
}

/** Publishes a top-level comment through the form and waits for its notice. */
export async function publishComment(
  page: Page,
  { stance = "Pour", text, signature }: { stance?: string; text: string; signature?: "nom" | "anonyme" },
) {
  const form = newCommentForm(page);
  await chooseRadio(form, stance);
  await form.getByLabel("Votre commentaire").fill(text);
  if (signature === "anonyme") await chooseRadio(form, /Anonymement/);
  if (signature === "nom") await chooseRadio(form, /De mon nom public/);
  await form.getByRole("button", { name: "Publier mon commentaire" }).click();
  await expect(page.getByText("Votre commentaire est publié.")).toBeVisible();
}

/** A form POST as a browser without JavaScript sends it (same origin), for refusals the UI never lets through. */
export async function postForm(page: Page, path: string, form: Record<string, string>) {
  const origin = new URL(page.url()).origin;
  return page.request.post(path, { form, headers: { Origin: origin }, maxRedirects: 0 });
}

/** The comment article on the page whose text contains `text`. */
export function commentWith(page: Page, text: string): Locator {
  return page.getByTestId("comment").filter({ has: page.locator(".ps-comment__body", { hasText: text }) });
}

/**
 * Puts a lived-in discussion on the proposal, straight in the database: comments by several
 * residents (one with a reply, one hidden by moderation, one deleted but answered, one reported),
 * and a verified association with a contribution and its PDF. Returns the association's slug.
 */
export function seedDiscussion(): { associationSlug: string } {
  const db = database();
  const stamp = `${Date.now()}${Math.floor(Math.random() * 1000)}`;
  const at = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
  try {
    const { id: proposal, consultation_id: consultation } = db
      .prepare("select p.id, p.consultation_id from proposals p where p.slug = ?")
      .get(PROPOSAL_SLUG) as { id: string; consultation_id: string };
    const user = (label: string, name: string | null, role = "resident") => {
      const id = randomUUID();
      db.prepare(
        "insert into users (id, email, password_hash, email_verified_at, commune_code, display_name, created_at, updated_at) values (?, ?, 'x', ?, '14366', ?, ?, ?)",
      ).run(id, `${label}-${stamp}@exemple.fr`, at(90), name, at(90), at(90));
      db.prepare("insert into user_roles (user_id, role, scope, created_at) values (?, ?, '', ?)").run(
        id,
        role,
        at(90),
      );
      return id;
    };
    const comment = (
      author: string,
      body: string,
      minutes: number,
      extra: { parent?: string; stance?: string | null; moderation?: string; reason?: string; deleted?: boolean } = {},
    ) => {
      const id = randomUUID();
      db.prepare(
        `insert into comments (id, consultation_id, proposal_id, parent_id, user_id, anonymous, stance, body, arrondissement_code, cts_code,
           moderation, hidden_reason, review_requested_at, review_message, reviewed_at, created_at, updated_at, edited_at, deleted_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, '143', '14', ?, ?, null, null, null, ?, ?, ?, ?)`,
      ).run(
        id,
        consultation,
        proposal,
        extra.parent ?? null,
        author,
        extra.parent ? 1 : 0,
        extra.parent ? null : (extra.stance ?? "for"),
        extra.deleted ? "" : body,
        extra.moderation ?? "visible",
        extra.reason ?? null,
        at(minutes),
        at(minutes),
        minutes === 50 ? at(45) : null,
        extra.deleted ? at(1) : null,
      );
      return id;
    };
    const alice = user("alice", "Alice L.");
    const bruno = user("bruno", null);
    const chloe = user("chloe", "Chloé");
    const first = comment(
      alice,
      "Les consultations avancées à l’hôpital de Lisieux manquent de créneaux.\nPlus d’infos : https://www.ars.sante.fr",
      60,
    );
    comment(bruno, "D’accord, surtout pour les personnes âgées sans voiture.", 55, { parent: first });
    comment(chloe, "Mieux vaut renforcer les maisons de santé existantes.", 50, { stance: "against" });
    comment(bruno, "Texte masqué pour données personnelles.", 40, {
      stance: "nuanced",
      moderation: "hidden",
      reason: "personal_data",
    });
    const deleted = comment(chloe, "", 30, { stance: "for", deleted: true });
    comment(alice, "Je réponds à un commentaire retiré depuis.", 25, { parent: deleted });
    const reported = comment(bruno, "Un avis signalé par un lecteur.", 20, { stance: "against" });
    db.prepare(
      "insert into flags (id, target_kind, target_id, reporter_id, reason, details, created_at, resolved_at, resolution) values (?, 'comment', ?, ?, 'off_topic', 'Sans rapport avec la proposition.', ?, null, null)",
    ).run(randomUUID(), reported, alice, at(10));

    const account = user("asso", null, "association");
    const association = randomUUID();
    const slug = `usagers-pays-d-auge-${stamp}`;
    db.prepare(
      `insert into associations (id, user_id, slug, name, identifier_kind, identifier, agrement, contact_name, contact_email, contact_phone,
         status, refusal_reason, decided_by, decided_at, created_at, updated_at)
       values (?, ?, ?, 'Usagers du Pays d’Auge', 'rna', ?, 'AG-14-2024-01', 'Claude Martin', 'contact@exemple.fr', null, 'verified', null, null, ?, ?, ?)`,
    ).run(association, account, slug, `W14${stamp.slice(-7)}`, at(80), at(80), at(80));
    db.prepare("insert into association_territories (association_id, kind, code) values (?, 'departement', '14')").run(
      association,
    );
    const contribution = randomUUID();
    db.prepare(
      `insert into contributions (id, consultation_id, proposal_id, association_id, title, body, published_at, moderation, hidden_reason,
         review_requested_at, review_message, reviewed_at, created_at, updated_at, deleted_at)
       values (?, ?, ?, ?, 'Notre bilan des bus santé', ?, ?, 'visible', null, null, null, null, ?, ?, null)`,
    ).run(
      contribution,
      consultation,
      proposal,
      association,
      "Nos bénévoles ont accompagné 120 personnes.\nLe détail est dans l’étude jointe.",
      at(70),
      at(70),
      at(70),
    );
    db.prepare(
      "insert into contribution_files (id, contribution_id, filename, size, sha256, content, created_at) values (?, ?, 'bilan.pdf', 9, 'x', ?, ?)",
    ).run(randomUUID(), contribution, Buffer.from("%PDF-1.4\n"), at(70));
    const pendingAccount = user("asso-attente", null, "association");
    db.prepare(
      `insert into associations (id, user_id, slug, name, identifier_kind, identifier, agrement, contact_name, contact_email, contact_phone,
         status, refusal_reason, decided_by, decided_at, created_at, updated_at)
       values (?, ?, ?, 'Collectif santé du Bessin', 'siren', ?, null, 'Dominique R.', 'bessin@exemple.fr', '02 31 00 00 00', 'pending', null, null, null, ?, ?)`,
    ).run(randomUUID(), pendingAccount, `collectif-bessin-${stamp}`, stamp.slice(-9), at(5), at(5));
    return { associationSlug: slug };
  } finally {
    db.close();
  }
}
