import { grantScopedRole, revokeScopedRole, SCOPED_ROLES, type ScopedRole } from "../identity/scoped-roles.server";
import { adoptSiteAddress } from "../platform/site-address.server";
import { Refusal } from "../platform/refusal";
import type { DatabaseHandle } from "../../db/connect";
import { CliError } from "./run";

/**
 * The commands that give or take back a role for one territory (moderator:grant, agent:grant):
 * `email CODE [--remove]`, each step printed, a French refusal and a non-zero exit otherwise.
 */
export async function scopedRoleCommand(
  handle: DatabaseHandle,
  input: {
    role: ScopedRole;
    command: string;
    email: string | undefined;
    scope: string | undefined;
    remove: boolean;
    usage: string;
  },
): Promise<void> {
  const { email, scope } = input;
  if (!email || !scope) throw new CliError(input.usage);
  // The e-mail's link to the person's space points where the server is (see site-address).
  const site = await adoptSiteAddress(handle.db);
  const change = { email, role: input.role, scope, by: { id: null, label: `la ligne de commande (${input.command})` } };
  console.log(
    `${input.remove ? "Retrait" : "Attribution"} du rôle ${SCOPED_ROLES[input.role].title} (${scope}) pour ${email}…`,
  );
  try {
    const done = await (input.remove ? revokeScopedRole(handle.db, change) : grantScopedRole(handle.db, change));
    console.log(
      `${done.email} ${input.remove ? "n’est plus" : "est"} ${SCOPED_ROLES[input.role].title} pour ${done.place}. ` +
        `Journal de sécurité : 1 changement de rôle. E-mail envoyé à ${done.email} (lien vers ${site}).`,
    );
  } catch (error) {
    if (error instanceof Refusal) throw new CliError(`${error.message}\n${input.usage}`);
    throw error;
  }
}
