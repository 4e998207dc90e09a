/**
 * Why the domain said no, as a category the routes layer can answer with (`~/web/refusals.server`
 * turns it into an HTTP status): the input is wrong, the person may not, the thing does not exist,
 * it changed meanwhile, or too many attempts. The domain never speaks HTTP.
 */
export type RefusalCode = "invalid" | "forbidden" | "not-found" | "conflict" | "too-many";

/** A refusal to show the person: its category and why, in French. Nothing was written. */
export class Refusal extends Error {
  constructor(
    readonly code: RefusalCode,
    message: string,
  ) {
    super(message);
  }
}
