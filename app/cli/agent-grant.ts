import { canonicalEmail } from "../identity/email-canonical";
import { findUserByEmail, grantRole } from "../identity/users.server";
import { CliError, runCli } from "./run";

// npm run agent:grant -- email DEPARTEMENT
// Makes an existing account a counter agent (guichet) for one département (journaled role_change);
// run again with another département to add one.
await runCli(async (handle, args) => {
  const usage = "Usage : npm run agent:grant -- adresse@exemple.fr CODE_DEPARTEMENT (exemple : 76, 2A, 971)";
  const [email, departement] = args;
  if (!email || !departement) throw new CliError(usage);
  const user =
    (await findUserByEmail(handle.db, email.trim())) ?? (await findUserByEmail(handle.db, canonicalEmail(email)));
  if (!user) throw new CliError(`${usage}\nAucun compte pour ${email} : la personne doit d’abord s’inscrire.`);
  const known = await handle.db
    .selectFrom("departements")
    .select("name")
    .where("code", "=", departement)
    .executeTakeFirst();
  if (!known) throw new CliError(`${usage}\nDépartement inconnu : ${departement}.`);
  await grantRole(handle.db, user.id, "counter_agent", departement, {
    id: null,
    label: "la ligne de commande (agent:grant)",
  });
  console.log(`${user.email} est agent de guichet pour le département ${departement} (${known.name}).`);
});
