import type { DatabaseHandle } from "../../db/connect";

let handle: DatabaseHandle | undefined;

/** Installs the process's database handle; the start-up sequence (app/start) opens it. */
export function setDatabase(next: DatabaseHandle | undefined): void {
  handle = next;
}

/** The process's database, opened, migrated and loaded at start by app/start/open-database.server.ts. */
export function database(): DatabaseHandle {
  if (!handle) throw new Error("database() called before openDatabase()");
  return handle;
}

export function db() {
  return database().db;
}

export async function closeDatabase(): Promise<void> {
  await handle?.close();
  handle = undefined;
}
