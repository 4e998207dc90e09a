import { listMailboxDuplicates } from "../identity/mailboxes.server";
import { runCli } from "./run";

// npm run accounts:duplicates : the mailboxes that hold several accounts (made before addresses
// were compared in their canonical form), for administrators to decide. Nothing is merged.
await runCli(async (handle) => {
  const duplicates = await listMailboxDuplicates(handle.db);
  if (duplicates.length === 0) {
    console.log("Aucune boîte aux lettres ne porte plusieurs comptes.");
    return 0;
  }
  console.log(`${duplicates.length} boîte(s) aux lettres portant plusieurs comptes (rien n’est fusionné) :`);
  for (const d of duplicates) {
    console.log(`\n${d.mailbox} : ${d.accounts.length} comptes`);
    for (const a of d.accounts) {
      console.log(
        `  ${a.email}  créé le ${a.createdAt.slice(0, 10)}  ${a.verified ? "adresse confirmée" : "adresse non confirmée"}  (compte ${a.id})`,
      );
    }
  }
  return 0;
});
