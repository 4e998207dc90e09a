import { DatabaseOpenError } from "../../db/connect";
import { EnvError } from "../platform/env.server";
import { closeDatabase } from "../platform/db.server";
import { openDatabase } from "../start/open-database.server";
import type { DatabaseHandle } from "../../db/connect";

/**
 * Runs a command-line task on the configured database (DATABASE_URL or SQLITE_FILE), migrated
 * and loaded as the server would have it; prints a clear error and exits non-zero on failure.
 */
export async function runCli(task: (handle: DatabaseHandle, args: string[]) => Promise<number | void>): Promise<void> {
  let code: number;
  try {
    const handle = await openDatabase((line) => console.log(line));
    code = (await task(handle, process.argv.slice(2))) ?? 0;
  } catch (error) {
    if (error instanceof EnvError || error instanceof DatabaseOpenError || error instanceof CliError) {
      console.error(error.message);
    } else {
      console.error(error);
    }
    code = 1;
  } finally {
    await closeDatabase();
  }
  process.exit(code);
}

export class CliError extends Error {}
