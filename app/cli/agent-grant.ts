import { CliError, runCli } from "./run";
import { scopedRoleCommand } from "./scoped-role";

// npm run agent:grant -- email DEPARTEMENT [--remove]
// Makes an existing account a counter agent (guichet) for one département, or takes it back with
// --remove; journaled (role_change), the person told by e-mail. Run again for another département.
await runCli(async (handle, args) => {
  const usage = "Usage : npm run agent:grant -- adresse@exemple.fr CODE_DEPARTEMENT [--remove] (exemple : 76, 2A, 971)";
  const [email, departement, ...rest] = args.filter((a) => a !== "--remove");
  if (rest.length) throw new CliError(usage);
  await scopedRoleCommand(handle, {
    role: "counter_agent",
    command: "agent:grant",
    email,
    scope: departement,
    remove: args.includes("--remove"),
    usage,
  });
});
