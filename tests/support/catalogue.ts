import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** How many proposals the shipped Centre-Val de Loire catalogue holds (it changes with corrections). */
export const CENTRE_PROPOSALS: number = (
  JSON.parse(fs.readFileSync(path.join(root, "db/catalogue/centre-val-de-loire.json"), "utf8")) as {
    proposals: unknown[];
  }
).proposals.length;
