import type { Kysely } from "kysely";
import type { AssuranceLevel, Database } from "../../db/schema";
import { writeTransaction } from "../../db/dialect";
import { Refusal } from "../platform/refusal";
import { recordVerification } from "./assurance.server";
import { canonicalEmail } from "./email-canonical";

// The guichet (docs/domain.md « Niveaux de garantie », « Guichet »): an agent holding the role
// counter_agent for a département finds a person by e-mail, checks their papers in person and
// confirms them for the commune they declare, if it lies in one of the agent's départements.

/** The départements an account is an agent for (one role row each). */
export async function agentDepartements(db: Kysely<Database>, agentId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("user_roles")
    .select("scope")
    .where("user_id", "=", agentId)
    .where("role", "=", "counter_agent")
    .orderBy("scope")
    .execute();
  return rows.map((r) => r.scope);
}

export interface CounterPerson {
  id: string;
  email: string;
  emailVerified: boolean;
  communeCode: string;
  communeName: string;
  departementCode: string;
  departementName: string;
  level: AssuranceLevel;
  inTerritory: boolean;
}

async function personRow(db: Kysely<Database>, where: { id: string } | { emails: string[] }) {
  let query = db
    .selectFrom("users")
    .innerJoin("communes", "communes.code", "users.commune_code")
    .innerJoin("departements", "departements.code", "communes.departement_code")
    .select([
      "users.id",
      "users.email",
      "users.email_verified_at",
      "users.commune_code",
      "users.assurance_level",
      "communes.name as commune_name",
      "departements.code as departement_code",
      "departements.name as departement_name",
    ]);
  query = "id" in where ? query.where("users.id", "=", where.id) : query.where("users.email", "in", where.emails);
  return query.execute();
}

/**
 * The person whose address is `email` (compared in canonical form), as the agent sees them: only
 * if their declared commune is in the agent's territory, so an agent cannot look people up
 * elsewhere.
 */
export async function findPersonForCounter(
  db: Kysely<Database>,
  agentId: string,
  email: string,
): Promise<CounterPerson | null> {
  const wanted = canonicalEmail(email);
  const typed = email.trim();
  // Addresses are stored as typed: look for the typed and the lower-case forms, keep the canonical match.
  const rows = (await personRow(db, { emails: [...new Set([typed, typed.toLowerCase(), wanted])] })).filter(
    (r) => canonicalEmail(r.email) === wanted,
  );
  const departements = await agentDepartements(db, agentId);
  const row = rows.find((r) => departements.includes(r.departement_code));
  if (!row) return null;
  return toPerson(row, departements);
}

function toPerson(row: Awaited<ReturnType<typeof personRow>>[number], departements: string[]): CounterPerson {
  return {
    id: row.id,
    email: row.email,
    emailVerified: row.email_verified_at !== null,
    // Found through the commune's département: never null here.
    communeCode: row.commune_code ?? "",
    communeName: row.commune_name,
    departementCode: row.departement_code,
    departementName: row.departement_name,
    level: row.assurance_level,
    inTerritory: departements.includes(row.departement_code),
  };
}

/**
 * Records that `agentId` checked in person the papers of `userId` for the commune they declare
 * now. Refused (forbidden) outside the agent's départements, for one's own account, or for an
 * account that is not the agent's to confirm; journaled with the agent as author.
 */
export async function confirmAtCounter(
  db: Kysely<Database>,
  input: { agentId: string; userId: string; now?: Date },
): Promise<CounterPerson> {
  return writeTransaction(db, async (trx) => {
    const departements = await agentDepartements(trx, input.agentId);
    if (departements.length === 0)
      throw new Refusal("forbidden", "Cette action est réservée aux agents de guichet habilités.");
    if (input.agentId === input.userId)
      throw new Refusal(
        "forbidden",
        "Un agent ne peut pas confirmer son propre compte : un autre agent doit le faire.",
      );
    const [row] = await personRow(trx, { id: input.userId });
    if (!row) throw new Refusal("not-found", "Ce compte n’existe pas ou plus.");
    if (!departements.includes(row.departement_code))
      throw new Refusal(
        "forbidden",
        `Cette personne déclare une commune hors de votre territoire (${row.departement_code}) : vous êtes habilité·e pour ${departements.length > 1 ? "les départements" : "le département"} ${departements.join(", ")} seulement.`,
      );
    await recordVerification(trx, {
      userId: row.id,
      method: "counter",
      communeCode: row.commune_code,
      by: input.agentId,
      now: input.now,
    });
    const [after] = await personRow(trx, { id: input.userId });
    return toPerson(after!, departements);
  });
}
