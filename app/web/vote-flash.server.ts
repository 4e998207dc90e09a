import { createCookie, type Cookie } from "@remix-run/node";
import { z } from "zod";
import { env } from "~/platform/env.server";
import type { VoteFlash } from "~/voting/vote-forms";

// Without JavaScript a vote is a form POST answered by a redirect back to the page it came from;
// the confirmation travels in this short-lived cookie and is shown (then cleared) by that page.
// With JavaScript the action answers with data and no cookie is set.

const flashSchema: z.ZodType<VoteFlash> = z.object({
  message: z.string().max(500),
  proposal: z.string().max(200).nullable(),
});

let cookie: Cookie | undefined;
function flashCookie(): Cookie {
  cookie ??= createCookie("ps_vote_flash", {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: env().SESSION_COOKIE_SECURE,
    maxAge: 60,
  });
  return cookie;
}

/** The Set-Cookie header that carries `flash` to the next page. */
export function setVoteFlash(flash: VoteFlash): Promise<string> {
  return flashCookie().serialize(flash);
}

/**
 * The flash waiting for this request, if any, and the headers that clear it (to return with the
 * loader's data, so it shows once).
 */
export async function takeVoteFlash(request: Request): Promise<{ flash: VoteFlash | null; headers: HeadersInit }> {
  const header = request.headers.get("Cookie");
  if (!header?.includes("ps_vote_flash=")) return { flash: null, headers: {} };
  const parsed = flashSchema.safeParse(await flashCookie().parse(header));
  const clear = await flashCookie().serialize("", { maxAge: 0 });
  return { flash: parsed.success ? parsed.data : null, headers: { "Set-Cookie": clear } };
}
