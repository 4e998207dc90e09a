import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import express from "express";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { requestLog } from "../../app/platform/log.server";

/** Serves `paths` through the request log with a signed-in user, and returns the lines written. */
async function logLines(requests: { method: string; path: string }[]): Promise<Record<string, unknown>[]> {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split("\n")) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  const app = express();
  app.use((_req, res, next) => {
    res.locals.auth = { user: { id: "utilisateur-42" } };
    next();
  });
  app.use(requestLog(pino({ level: "info" }, sink)));
  app.all("*", (_req, res) => {
    res.status(200).send("ok");
  });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  try {
    for (const r of requests) await (await fetch(`http://127.0.0.1:${port}${r.path}`, { method: r.method })).text();
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  return lines;
}

describe("request log", () => {
  it("does not carry the user id on vote requests, and keeps it elsewhere", async () => {
    const votes = [
      { method: "POST", path: "/consultations/normandie-cnr-sante-2022/vote" },
      { method: "POST", path: "/consultations/normandie-cnr-sante-2022/vote.data" },
      { method: "GET", path: "/consultations/normandie-cnr-sante-2022/vote?proposal=x" },
      { method: "POST", path: "/consultations/normandie-cnr-sante-2022/mon-vote" },
      { method: "GET", path: "/consultations/normandie-cnr-sante-2022/mon-vote" },
      { method: "POST", path: "/consultations/normandie-cnr-sante-2022/mon-vote.data?index" },
      { method: "POST", path: "/consultations/normandie-cnr-sante-2022/vote/" },
    ];
    const others = [
      { method: "GET", path: "/mon-compte" },
      { method: "POST", path: "/consultations/normandie-cnr-sante-2022/propositions/p-1" },
    ];
    const lines = await logLines([...votes, ...others]);
    expect(lines).toHaveLength(votes.length + others.length);
    for (const line of lines.slice(0, votes.length)) {
      expect(line.path).toMatch(/vote/);
      expect(line).not.toHaveProperty("user");
      expect(JSON.stringify(line)).not.toContain("utilisateur-42");
    }
    for (const line of lines.slice(votes.length)) expect(line.user).toBe("utilisateur-42");
  });
});
