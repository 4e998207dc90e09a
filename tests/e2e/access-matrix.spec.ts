import { createHash, randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { request as http, type APIRequestContext } from "@playwright/test";
import { expect, test } from "./helpers";
import { CONSULTATION, database, PROPOSAL_SLUG } from "./comment-helpers";

/**
 * The access-control matrix: every route file of app/routes × every kind of person, with the
 * status each must get for a GET and, where the route has an action, for a POST of an empty form
 * (never a 500, never a write). The route folder is read when the test runs: a route file with no
 * row below fails the suite, and so does a row whose file is gone.
 *
 * To add a route: add one row to ROUTES, keyed by its file name in app/routes, with
 * - `path`: a real address for it (the seeded Normandie consultation, CTS 14, the association
 *   persona's page…);
 * - `get`: the outcome of a GET — one value for everyone (`200`), or per persona with
 *   `signedIn(200)`, `only(["admin"], 200)`, `{ ...only(["ctsHere", "admin"], 200), ctsOther: 403 }`;
 *   an outcome is an HTTP status or "login" (a redirect to /connexion);
 * - `post`: the outcome of a POST with an empty form, for routes with an action; leave it out
 *   for routes without one (they must answer 405).
 * Personas are made straight in the server's database (rows and a session), not through forms.
 */

type Persona =
  | "anonymous"
  | "unverified"
  | "resident"
  | "residentElsewhere"
  | "association"
  | "ctsHere"
  | "ctsOther"
  | "moderator"
  | "admin";

const PERSONAS: Persona[] = [
  "anonymous",
  "unverified",
  "resident",
  "residentElsewhere",
  "association",
  "ctsHere",
  "ctsOther",
  "moderator",
  "admin",
];

/** An HTTP status, "login" (redirect to /connexion), or `{ redirect: "/path" }` (`*` at the end: a prefix). */
type Outcome = number | "login" | { redirect: string };
type Outcomes = Outcome | (Partial<Record<Persona, Outcome>> & { others: Outcome });

interface Row {
  path: string | ((p: Fixture) => string);
  get: Outcomes;
  /** For routes with an action: the outcome of a POST carrying an empty form. */
  post?: Outcomes;
}

interface Fixture {
  associationSlug: string;
}

const signedIn = (outcome: Outcome): Outcomes => ({ anonymous: "login", others: outcome });
const only = (personas: Persona[], outcome: Outcome, otherwise: Outcome = 403): Outcomes => ({
  anonymous: "login",
  ...Object.fromEntries(personas.map((p) => [p, outcome])),
  others: otherwise,
});
/** Pages for people without an account: a signed-in person is sent elsewhere. */
const signedOutOnly = (outcome: Outcome, elsewhere: string): Outcomes => ({
  anonymous: outcome,
  others: { redirect: elsewhere },
});

const N = CONSULTATION;

// The CTS of the seeded Normandie consultation the CTS persona belongs to, and another one.
const CTS_HERE = "14";
const CTS_OTHER = "76-rouen-elbeuf";

const ROUTES: Record<string, Row> = {
  "$.tsx": { path: "/une-page-qui-n-existe-pas", get: 404 },
  "_index.tsx": { path: "/", get: 200 },
  "accessibilite.tsx": { path: "/accessibilite", get: 200 },
  "contexte.tsx": { path: "/contexte", get: 200 },
  "donnees-personnelles.tsx": { path: "/donnees-personnelles", get: 200 },
  "glossaire.tsx": { path: "/glossaire", get: 200 },
  "mentions-legales.tsx": { path: "/mentions-legales", get: 200 },

  "admin._index.tsx": { path: "/admin", get: only(["admin"], 200) },
  "admin.associations.tsx": { path: "/admin/associations", get: only(["admin"], 200), post: only(["admin"], 400) },
  "admin.consultations.$slug._index.tsx": {
    path: `/admin/consultations/${N}`,
    get: only(["admin"], 200),
    post: only(["admin"], 400),
  },
  "admin.consultations.$slug.bulletins-papier.tsx": {
    path: `/admin/consultations/${N}/bulletins-papier`,
    get: only(["admin"], 200),
    post: only(["admin"], 400),
  },
  "admin.moderation.tsx": { path: "/admin/moderation", get: only(["admin"], 200) },
  "admin.moderateurs.tsx": { path: "/admin/moderateurs", get: only(["admin"], 200), post: only(["admin"], 400) },
  "admin.journal.tsx": { path: "/admin/journal", get: only(["admin"], 200) },
  "admin.cts.tsx": { path: "/admin/cts", get: only(["admin"], 200), post: only(["admin"], 400) },
  "admin.reponses-cts.tsx": { path: "/admin/reponses-cts", get: only(["admin"], 200) },

  "api.communes.tsx": { path: "/api/communes?q=Lisieux", get: 200 },
  // The sign-up form's password meter: anyone, a POST (the password is never in an address).
  "api.force-mot-de-passe.tsx": { path: "/api/force-mot-de-passe", get: 405, post: 200 },
  // The open-data index and its description: the same for everyone (links open to the public only).
  "api.v1.consultations._index.tsx": { path: "/api/v1/consultations", get: 200 },
  "api.v1.openapi[.]json.tsx": { path: "/api/v1/openapi.json", get: 200 },
  // While the consultation is open: the CTS's members and administrators only (an API: no redirect).
  "api.v1.consultations.$slug.results.tsx": {
    path: `/api/v1/consultations/${N}/results?territory=cts:${CTS_HERE}`,
    get: { ctsHere: 200, admin: 200, others: 403 },
  },

  "associations._index.tsx": { path: "/associations", get: 200 },
  "associations.$slug.tsx": { path: (f) => `/associations/${f.associationSlug}`, get: 200 },
  "associations.inscription.tsx": {
    path: "/associations/inscription",
    get: signedOutOnly(200, "/espace-association"),
    post: signedOutOnly(400, "/espace-association"),
  },
  "espace-association._index.tsx": {
    path: "/espace-association",
    get: only(["association"], 200),
    post: only(["association"], 400),
  },
  "espace-association.contribuer.$slug.$proposal.tsx": {
    path: `/espace-association/contribuer/${N}/${PROPOSAL_SLUG}`,
    get: only(["association"], 200),
    post: only(["association"], 400),
  },

  // Only reachable with BENCH_BASELINE (benchmarks); the e2e server does not set it.
  "bench.insert.tsx": { path: "/bench/insert", get: 404, post: 404 },

  // A signed-in person's POST is refused (400) and the page's loader then sends them on.
  "connexion.tsx": {
    path: "/connexion",
    get: signedOutOnly(200, "/mon-compte"),
    post: signedOutOnly(400, "/mon-compte"),
  },
  "inscription.tsx": {
    path: "/inscription",
    get: signedOutOnly(200, "/mon-compte"),
    post: signedOutOnly(400, "/mon-compte"),
  },
  "deconnexion.tsx": { path: "/deconnexion", get: 405, post: { redirect: "/?deconnecte=1" } },
  "mot-de-passe-oublie.tsx": { path: "/mot-de-passe-oublie", get: 200, post: 400 },
  "reinitialisation.tsx": { path: "/reinitialisation", get: 400, post: 400 },
  "verification.tsx": { path: "/verification", get: 400, post: 400 },
  "mon-compte.tsx": { path: "/mon-compte", get: signedIn(200), post: signedIn(400) },
  "mon-compte_.donnees[.]json.tsx": { path: "/mon-compte/donnees.json", get: signedIn(200) },
  "mon-compte_.suppression.tsx": { path: "/mon-compte/suppression", get: signedIn(200), post: signedIn(400) },
  "mon-compte_.reponses-cts.tsx": { path: "/mon-compte/reponses-cts", get: signedIn(200), post: signedIn(400) },

  "consultations._index.tsx": { path: "/consultations", get: 200 },
  "consultations.$slug._index.tsx": { path: `/consultations/${N}`, get: 200 },
  "consultations.$slug.mon-vote.tsx": { path: `/consultations/${N}/mon-vote`, get: signedIn(200) },
  "consultations.$slug.propositions.$proposal.tsx": {
    path: `/consultations/${N}/propositions/${PROPOSAL_SLUG}`,
    get: 200,
    post: signedIn(400),
  },
  // The vote action checks who may vote before it reads the form: only a resident of the
  // region gets as far as the empty form's 400.
  "consultations.$slug.vote.tsx": {
    path: `/consultations/${N}/vote`,
    get: 200,
    post: { anonymous: "login", resident: 400, others: 403 },
  },

  "cts.$code.commentaires._index.tsx": { path: `/cts/${CTS_HERE}/commentaires`, get: only(["ctsHere", "admin"], 200) },
  "cts.$code.commentaires.$slug._index.tsx": {
    path: `/cts/${CTS_HERE}/commentaires/${N}`,
    get: only(["ctsHere", "admin"], 200),
  },
  "cts.$code.commentaires.$slug.export[.]csv.tsx": {
    path: `/cts/${CTS_HERE}/commentaires/${N}/export.csv`,
    get: only(["ctsHere", "admin"], 200),
  },
  "cts.$code.commentaires.$slug.export[.]json.tsx": {
    path: `/cts/${CTS_HERE}/commentaires/${N}/export.json`,
    get: only(["ctsHere", "admin"], 200),
  },

  // A member of one CTS is sent to it; an administrator chooses among all of them.
  "cts._index.tsx": {
    path: "/cts",
    get: {
      anonymous: "login",
      ctsHere: { redirect: `/cts/${CTS_HERE}` },
      ctsOther: { redirect: `/cts/${CTS_OTHER}` },
      admin: 200,
      others: 403,
    },
  },
  "cts.$code._index.tsx": { path: `/cts/${CTS_HERE}`, get: only(["ctsHere", "admin"], 200) },
  // Reports while the consultation is open (public once results are published: reports.spec.ts).
  "cts.$code.rapports.$slug._index.tsx": {
    path: `/cts/${CTS_HERE}/rapports/${N}`,
    get: only(["ctsHere", "admin"], 200),
  },
  "cts.$code.rapports.$slug.export.$format.tsx": {
    path: `/cts/${CTS_HERE}/rapports/${N}/export/json`,
    get: only(["ctsHere", "admin"], 200),
  },
  // Answers (issue 18): the CTS's own members and administrators; public only after results.
  "cts.$code.reponses.$slug._index.tsx": {
    path: `/cts/${CTS_HERE}/reponses/${N}`,
    get: only(["ctsHere", "admin"], 200),
    post: only(["ctsHere", "admin"], 400),
  },
  "cts.$code.reponses.$slug.$proposal.tsx": {
    path: `/cts/${CTS_HERE}/reponses/${N}/${PROPOSAL_SLUG}`,
    get: only(["ctsHere", "admin"], 200),
    post: only(["ctsHere", "admin"], 400),
  },
  "consultations.$slug.reponses.$code.tsx": { path: `/consultations/${N}/reponses/${CTS_HERE}`, get: 404 },
  "consultations.$slug.donnees-reponses[.]csv.tsx": { path: `/consultations/${N}/donnees-reponses.csv`, get: 404 },
  "api.v1.consultations.$slug.answers.tsx": { path: `/api/v1/consultations/${N}/answers`, get: 404 },
  "consultations.$slug.resultats.tsx": { path: `/consultations/${N}/resultats`, get: only(["admin"], 200) },
  "consultations.$slug.donnees-resultats[.]csv.tsx": {
    path: `/consultations/${N}/donnees-resultats.csv`,
    get: only(["admin"], 200),
  },
  "consultations.$slug.donnees-resultats[.]json.tsx": {
    path: `/consultations/${N}/donnees-resultats.json`,
    get: only(["admin"], 200),
  },
  // Without a token: the page says the link is not valid, whoever asks.
  "invitation-cts.tsx": { path: "/invitation-cts", get: 400, post: 400 },

  // Administrators moderate every region.
  "moderation._index.tsx": {
    path: "/moderation",
    get: only(["moderator", "admin"], 200),
    post: only(["moderator", "admin"], 400),
  },
  // The e2e server runs in production with EMAIL_OUTBOX (no SMTP): administrators only, a 404
  // for everyone else (finding 1 of issue 14).
  "admin.signaux.tsx": { path: "/admin/signaux", get: only(["admin"], 200) },
  // Postal letters (proof of residence): administrators export them; an export is a POST.
  "admin.courriers.tsx": { path: "/admin/courriers", get: only(["admin"], 200) },
  "admin.courriers.export.tsx": { path: "/admin/courriers/export", get: 400, post: only(["admin"], 200) },
  // The counter: authorised agents only (no persona holds the role: everyone else is refused).
  "guichet.tsx": { path: "/guichet", get: only([], 200), post: only([], 200) },
  // FranceConnect (the local provider is configured in e2e): the button's POST goes on to the
  // provider with a fresh state each time (its address is not a fixed outcome: see
  // franceconnect.spec.ts); a GET is sent to the sign-in page; the return and the confirmation
  // without their browser key are refused.
  "franceconnect.connexion.tsx": {
    path: "/franceconnect/connexion",
    get: "login",
    post: { redirect: `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3100) + 1000}/auth?*` },
  },
  "franceconnect.retour.tsx": { path: "/franceconnect/retour", get: 400 },
  "franceconnect.rattachement.tsx": { path: "/franceconnect/rattachement", get: 400, post: 400 },
  "dev.outbox.tsx": { path: "/dev/outbox", get: { anonymous: 404, admin: 200, others: 404 } },
  "pieces-jointes.$id.tsx": { path: `/pieces-jointes/${randomUUID()}`, get: 404 },
};

// — Personas, made in the server's database —

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const COOKIE = "ps_session";

interface Made {
  sessionFor: Partial<Record<Persona, string>>;
  fixture: Fixture;
}

function makePersonas(): Made {
  const db = database();
  const now = new Date().toISOString();
  // A full idle period ahead (SESSION_IDLE_DAYS, 30): lucia only extends, and so writes, a
  // session in the second half of it, and the matrix must see no write at all.
  const later = new Date(Date.now() + 30 * 86_400_000 - 60_000).toISOString();
  const sessionFor: Partial<Record<Persona, string>> = {};
  const tag = randomBytes(3).toString("hex");
  const spec: Record<
    Exclude<Persona, "anonymous">,
    { commune: string; verified: boolean; roles: [string, string][] }
  > = {
    unverified: { commune: "14366", verified: false, roles: [["resident", ""]] },
    resident: { commune: "14366", verified: true, roles: [["resident", ""]] },
    residentElsewhere: { commune: "75056", verified: true, roles: [["resident", ""]] },
    association: { commune: "14366", verified: true, roles: [["association", ""]] },
    ctsHere: { commune: "14366", verified: true, roles: [["cts_member", CTS_HERE]] },
    ctsOther: { commune: "76540", verified: true, roles: [["cts_member", CTS_OTHER]] },
    moderator: { commune: "14366", verified: true, roles: [["moderator", "28"]] },
    admin: { commune: "14366", verified: true, roles: [["admin", ""]] },
  };
  let associationSlug = "";
  try {
    db.transaction(() => {
      for (const [persona, s] of Object.entries(spec) as [Exclude<Persona, "anonymous">, (typeof spec)["admin"]][]) {
        const id = randomUUID();
        db.prepare(
          "insert into users (id, email, password_hash, email_verified_at, commune_code, display_name, created_at, updated_at) values (?, ?, ?, ?, ?, null, ?, ?)",
        ).run(
          id,
          `matrice-${persona.toLowerCase()}-${tag}@exemple.fr`,
          "pas-de-mot-de-passe",
          s.verified ? now : null,
          s.commune,
          now,
          now,
        );
        for (const [role, scope] of s.roles) {
          db.prepare("insert into user_roles (user_id, role, scope, created_at) values (?, ?, ?, ?)").run(
            id,
            role,
            scope,
            now,
          );
        }
        const session = randomBytes(20).toString("hex");
        db.prepare("insert into sessions (id, user_id, expires_at, created_at) values (?, ?, ?, ?)").run(
          sessionKey(session),
          id,
          later,
          now,
        );
        sessionFor[persona] = session;
        if (persona === "association") {
          associationSlug = `association-matrice-${tag}`;
          db.prepare(
            `insert into associations (id, user_id, slug, name, identifier_kind, identifier, agrement, contact_name, contact_email, contact_phone,
               status, refusal_reason, decided_by, decided_at, created_at, updated_at)
             values (?, ?, ?, ?, 'rna', ?, null, 'Contact', ?, null, 'verified', null, null, ?, ?, ?)`,
          ).run(
            randomUUID(),
            id,
            associationSlug,
            `Association matrice ${tag}`,
            `W${String(Date.now()).slice(-9)}`,
            `contact-${tag}@exemple.fr`,
            now,
            now,
            now,
          );
        }
      }
    })();
  } finally {
    db.close();
  }
  return { sessionFor, fixture: { associationSlug } };
}

/** Sessions are stored by the SHA-256 of their token (app/identity/kysely-adapter.server.ts). */
const sessionKey = (token: string) => createHash("sha256").update(token).digest("hex");

/** A second session for `persona`'s account, spent by the POST to /deconnexion. */
function spareSession(of: string): string {
  const db = database();
  try {
    const row = db.prepare("select user_id, expires_at, created_at from sessions where id = ?").get(sessionKey(of)) as {
      user_id: string;
      expires_at: string;
      created_at: string;
    };
    const id = randomBytes(20).toString("hex");
    db.prepare("insert into sessions (id, user_id, expires_at, created_at) values (?, ?, ?, ?)").run(
      sessionKey(id),
      row.user_id,
      row.expires_at,
      row.created_at,
    );
    return id;
  } finally {
    db.close();
  }
}

/**
 * A fingerprint of everything the server keeps: each table's rows, hashed. Equal before and
 * after means nothing was written.
 */
/**
 * Registers of what was read, written on purpose by GETs: the security journal (403s) and the
 * register of report exports with their SHA-256. Nothing else may change.
 */
const READ_LOGS = ["audit_events", "report_exports"];

function fingerprint(skip: string[] = []): Record<string, string> {
  const db = database(true);
  try {
    const tables = (
      db
        .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name")
        .all() as { name: string }[]
    )
      .map((t) => t.name)
      .filter((t) => !skip.includes(t));
    return Object.fromEntries(
      tables.map((t) => {
        const hash = createHash("sha256");
        for (const row of db.prepare(`select * from "${t}"`).iterate())
          hash.update(JSON.stringify(row, (_k, v) => (Buffer.isBuffer(v) ? v.toString("hex") : v)));
        return [t, hash.digest("hex")];
      }),
    );
  } finally {
    db.close();
  }
}

function expected(outcomes: Outcomes, persona: Persona): Outcome {
  if (typeof outcomes === "number" || typeof outcomes === "string" || "redirect" in outcomes)
    return outcomes as Outcome;
  return outcomes[persona] ?? outcomes.others;
}

function describeOutcome(o: Outcome): string {
  return typeof o === "object" ? `redirect ${o.redirect}` : String(o);
}

async function check(method: "GET" | "POST", url: string, want: Outcome, origin: string, cookie?: string) {
  const headers: Record<string, string> = cookie ? { Cookie: `${COOKIE}=${cookie}` } : {};
  // A client of its own per request: no cookie carried over from another persona's answer.
  const client = await http.newContext({ baseURL: origin });
  const response =
    method === "GET"
      ? await client.get(url, { headers, maxRedirects: 0 })
      : await client.post(url, { headers: { ...headers, Origin: origin }, form: {}, maxRedirects: 0 });
  await client.dispose();
  const status = response.status();
  const location = response.headers()["location"] ?? "";
  const got =
    status >= 300 && status < 400
      ? location.startsWith("/connexion")
        ? "login"
        : `redirect ${location}`
      : String(status);
  return {
    got,
    want: describeOutcome(want),
    ok:
      status < 500 &&
      (got === (want === "login" ? "login" : describeOutcome(want)) ||
        // `{ redirect: "…*" }`: an address that begins so (a fresh state or nonce each time).
        (typeof want === "object" &&
          want.redirect.endsWith("*") &&
          got.startsWith(`redirect ${want.redirect.slice(0, -1)}`))),
  };
}

test.describe("access-control matrix", () => {
  // Some 700 requests per test: on a loaded 2-core machine more than the default 30 s.
  test.describe.configure({ timeout: 120_000 });
  let made: Made;
  let client: APIRequestContext;
  let origin: string;

  test.beforeAll(async ({ baseURL }) => {
    made = makePersonas();
    origin = baseURL!;
    client = await http.newContext({ baseURL });
  });
  test.afterAll(async () => client?.dispose());

  test("every route file has a row, and every row a route file", () => {
    const files = fs.readdirSync(path.join(root, "app/routes")).filter((f) => /\.(tsx|ts)$/.test(f));
    const missing = files.filter((f) => !(f in ROUTES));
    const stale = Object.keys(ROUTES).filter((f) => !files.includes(f));
    expect(missing, "route files with no row in tests/e2e/access-matrix.spec.ts ROUTES").toEqual([]);
    expect(stale, "rows of ROUTES whose route file is gone").toEqual([]);
  });

  test("GET: every route × every persona gets its status, and nothing is written", async () => {
    const before = fingerprint(READ_LOGS);
    const failures: string[] = [];
    for (const [file, row] of Object.entries(ROUTES)) {
      const url = typeof row.path === "function" ? row.path(made.fixture) : row.path;
      for (const persona of PERSONAS) {
        const result = await check("GET", url, expected(row.get, persona), origin, made.sessionFor[persona]);
        if (!result.ok) failures.push(`GET ${url} (${file}) as ${persona}: got ${result.got}, expected ${result.want}`);
      }
    }
    expect(failures).toEqual([]);
    expect(fingerprint(READ_LOGS), "a GET changed the database").toEqual(before);
  });

  test("POST with an empty form: the expected refusal (405 without an action), never a 500, nothing written", async () => {
    // Spare sessions for the logout POSTs are made first: the fingerprint must not see them go.
    const spares = Object.fromEntries(
      PERSONAS.map((p) => [p, made.sessionFor[p] ? spareSession(made.sessionFor[p]!) : undefined]),
    );
    // Refusals (403) are journaled in audit_events, up to 30 a minute per network: how many depends
    // on how long the run takes, so the journal is left out, as in the GET test. The FranceConnect
    // button's POST is valid with no field: it keeps the sign-in's state, nonce and PKCE verifier
    // server-side (franceconnect_logins, ADR 009) before going on to the provider.
    const skipped = ["sessions", "audit_events", "franceconnect_logins"];
    const before = fingerprint(skipped);
    const sessionsBefore = fingerprint()["sessions"];
    const failures: string[] = [];
    for (const [file, row] of Object.entries(ROUTES)) {
      const url = typeof row.path === "function" ? row.path(made.fixture) : row.path;
      for (const persona of PERSONAS) {
        const cookie = file === "deconnexion.tsx" ? spares[persona] : made.sessionFor[persona];
        const result = await check("POST", url, expected(row.post ?? 405, persona), origin, cookie);
        if (!result.ok)
          failures.push(`POST ${url} (${file}) as ${persona}: got ${result.got}, expected ${result.want}`);
      }
    }
    expect(failures).toEqual([]);
    const after = fingerprint(skipped);
    const changed = Object.keys(after).filter((t) => after[t] !== before[t]);
    expect(changed, "tables an invalid POST changed").toEqual([]);
    // Only the logouts touched sessions: the personas' own sessions are all still there.
    expect(fingerprint()["sessions"]).not.toBe(sessionsBefore);
    const db = database(true);
    try {
      for (const [persona, id] of Object.entries(made.sessionFor)) {
        expect(db.prepare("select count(*) as n from sessions where id = ?").get(sessionKey(id)), persona).toEqual({
          n: 1,
        });
      }
      for (const [persona, id] of Object.entries(spares)) {
        if (id)
          expect(
            db.prepare("select count(*) as n from sessions where id = ?").get(sessionKey(id)),
            `${persona}'s logged-out session`,
          ).toEqual({ n: 0 });
      }
    } finally {
      db.close();
    }
  });

  test("a GET to an action-only address writes nothing: logout keeps the session, the vote address casts nothing", async () => {
    const session = made.sessionFor.resident!;
    const before = fingerprint();
    expect(
      (await client.get("/deconnexion", { headers: { Cookie: `${COOKIE}=${session}` }, maxRedirects: 0 })).status(),
    ).toBe(405);
    const vote = await client.get(`/consultations/${N}/vote?intent=approve&proposal=${PROPOSAL_SLUG}&reply=data`, {
      headers: { Cookie: `${COOKIE}=${session}` },
      maxRedirects: 0,
    });
    expect(vote.status()).toBe(200);
    expect(fingerprint()).toEqual(before);
    const page = await client.get("/mon-compte", { headers: { Cookie: `${COOKIE}=${session}` }, maxRedirects: 0 });
    expect(page.status(), "still signed in after a GET /deconnexion").toBe(200);
  });
});
