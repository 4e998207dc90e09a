import { CliError, runCli } from "./run";
import { scopedRoleCommand } from "./scoped-role";

// npm run moderator:grant -- email --region CODE [--remove]
// Gives an existing account the moderator role for one region (or takes it back with --remove);
// journaled (role_change), the person told by e-mail. Run again for another region.
await runCli(async (handle, args) => {
  const usage =
    "Usage : npm run moderator:grant -- adresse@exemple.fr --region CODE_REGION [--remove] (exemple : --region 28 pour la Normandie)";
  const at = args.indexOf("--region");
  const region = at >= 0 ? args[at + 1] : undefined;
  const rest = args.filter((a, i) => a !== "--remove" && i !== at && (at < 0 || i !== at + 1));
  if (rest.length !== 1 || region === undefined || region.startsWith("--")) throw new CliError(usage);
  await scopedRoleCommand(handle, {
    role: "moderator",
    command: "moderator:grant",
    email: rest[0],
    scope: region,
    remove: args.includes("--remove"),
    usage,
  });
});
