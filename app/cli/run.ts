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
  // Into a pipe, output past the pipe's buffer is still queued in this process: exiting at once
  // would cut it (an import's list of errors stopped short when piped to a file or `less`).
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}

/** Resolves once everything written to `stream` so far has been handed to the system. */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => stream.write("", () => resolve()));
}

export class CliError extends Error {}
