import { hash, verify } from "@node-rs/argon2";
import { dictionary } from "@zxcvbn-ts/language-common";

// argon2id with the library's defaults (m=19 MiB, t=2, p=1: OWASP's minimum), ~6 ms here.
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** How many of the most common passwords (ranked, from zxcvbn-ts' list) are refused. */
export const COMMON_PASSWORDS_REFUSED = 10_000;
let common: Set<string> | undefined;

/** True for a password among the most common ones, whatever its case. */
export function isCommonPassword(password: string): boolean {
  common ??= new Set(
    (dictionary["passwords-common"] as string[]).slice(0, COMMON_PASSWORDS_REFUSED).map((p) => p.toLowerCase()),
  );
  return common.has(password.toLowerCase());
}

// Stands in for a real hash when the e-mail is unknown, so a login takes the same time either way.
let dummyHash: Promise<string> | undefined;
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword("pas-un-vrai-mot-de-passe-0000");
  await verifyPassword(await dummyHash, password);
  return false;
}
