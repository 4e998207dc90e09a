import { randomBytes } from "node:crypto";
import { sendPasswordResetEmail } from "../identity/account-emails.server";
import { forgotPasswordSchema } from "../identity/forms";
import { createAccount, findUserByEmail, grantRole, markEmailVerified } from "../identity/users.server";
import { adoptSiteAddress } from "../platform/site-address.server";
import { locateCommune } from "../territories/territories.server";
import { CliError, runCli } from "./run";

// npm run admin:create -- email [--commune CODE_INSEE]
// An existing account gets the administrator role; otherwise one is created and a link to choose
// its password is e-mailed (or left in the outbox when no SMTP server is configured). Without
// --commune the new account has no commune and no resident role: it administers, it does not vote.
await runCli(async (handle, args) => {
  const usage = "Usage : npm run admin:create -- adresse@exemple.fr [--commune CODE_INSEE]";
  const parsed = forgotPasswordSchema.safeParse({ email: args[0] });
  if (!parsed.success) throw new CliError(`${usage}\nAdresse électronique invalide.`);
  const email = parsed.data.email;
  let user = await findUserByEmail(handle.db, email);
  if (!user) {
    const communeIndex = args.indexOf("--commune");
    const commune = communeIndex >= 0 ? (args[communeIndex + 1] ?? "") : null;
    if (commune !== null && !(await locateCommune(handle.db, commune))) {
      throw new CliError(`${usage}\nCommune inconnue : « ${commune} » (code INSEE attendu, par exemple 14118).`);
    }
    // Nobody knows this password: the administrator chooses theirs through the e-mailed link.
    // With a commune, the account is also a resident there (it may vote); without, it is not.
    const created = await createAccount(
      handle.db,
      { email, password: randomBytes(32).toString("base64url"), communeCode: commune },
      commune === null ? null : "resident",
    );
    if (!created.ok) throw new CliError(`Le compte ${email} existe déjà.`);
    await markEmailVerified(handle.db, created.userId);
    user = await findUserByEmail(handle.db, email);
    if (!user) throw new CliError("Compte introuvable après création.");
    const site = await adoptSiteAddress(handle.db);
    await sendPasswordResetEmail(handle.db, user);
    console.log(
      `Compte créé pour ${email} ; un lien vers ${site} pour choisir le mot de passe lui a été envoyé (valable 1 heure).`,
    );
  }
  await grantRole(handle.db, user.id, "admin", "", { id: null, label: "la ligne de commande (admin:create)" });
  console.log(`${email} est administrateur.`);
});
