import type { IncomingMessage, ServerResponse } from "node:http";
import { pino, type Logger } from "pino";
import { pinoHttp } from "pino-http";
import { env, type Env } from "./env.server";

let logger: Logger | undefined;

/** The process's JSON logger (pino), configured by LOG_LEVEL and LOG_FILE. */
export function log(config?: Pick<Env, "LOG_LEVEL" | "LOG_FILE">): Logger {
  if (!logger) {
    const { LOG_LEVEL: level, LOG_FILE: file } = config ?? env();
    // Synchronous writes: a line is written before the next request runs, so a crash loses none.
    const destination = file ? pino.destination({ dest: file, mkdir: true, sync: true }) : pino.destination(1);
    logger = pino(
      {
        level,
        base: undefined,
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
      },
      destination,
    );
  }
  return logger;
}

/**
 * The path of a request without its query string: queries carry one-time tokens
 * (/verification?token=…, /reinitialisation?token=…) and searches, which a log must not keep.
 */
export function loggedPath(url: string | undefined): string {
  const path = (url ?? "/").split("?")[0] ?? "/";
  return path.length > 300 ? `${path.slice(0, 300)}…` : path;
}

// A vote page or action (/consultations/:slug/vote, /consultations/:slug/mon-vote, and their
// .data twins): its line must not say who, or its time could tie a ballot to its author.
const VOTE_PATH = /^\/consultations\/[^/]+\/(?:vote|mon-vote)(?:\.data)?\/?$/;

/** Whether the request log leaves the user out of a request to this path. */
export function isVotePath(path: string): boolean {
  return VOTE_PATH.test(path);
}

type ExpressLike = IncomingMessage & { originalUrl?: string };
type WithLocals = ServerResponse & { locals?: { auth?: { user?: { id: string } | null } } };

/**
 * Express middleware writing one JSON line per request once it is answered:
 * `{"level":30,"time":"…","method":"POST","path":"/connexion","status":303,"ms":41,"user":"…","msg":"requête"}`.
 * Only these fields, chosen one by one: no headers (cookies, authorization), no query, no body
 * (passwords, ballots), and the user's id, never their e-mail — and not even the id on vote
 * requests (`isVotePath`).
 */
export function requestLog(logger: Logger) {
  const fields = (req: ExpressLike, res: WithLocals, ms: number) => {
    const path = loggedPath(req.originalUrl ?? req.url);
    return {
      method: req.method,
      path,
      status: res.statusCode,
      ms,
      user: isVotePath(path) ? undefined : res.locals?.auth?.user?.id,
    };
  };
  return pinoHttp<ExpressLike, WithLocals>({
    logger,
    // Nothing of the request and response objects themselves is serialised...
    serializers: { req: () => undefined, res: () => undefined, err: (error: Error) => ({ type: error.name }) },
    wrapSerializers: false,
    genReqId: () => "",
    // A load balancer asks every few seconds whether the process lives: not worth a line each time.
    autoLogging: { ignore: (req) => req.url === "/healthz" },
    // ...only the fields above, read once the response is finished.
    customSuccessObject: (req, res, val: { responseTime: number }) => fields(req, res, val.responseTime),
    customErrorObject: (req, res, _error, val: { responseTime: number }) => fields(req, res, val.responseTime),
    customLogLevel: (_req, res, error) =>
      error || res.statusCode >= 500 ? "error" : res.statusCode >= 400 ? "warn" : "info",
    customSuccessMessage: () => "requête",
    customErrorMessage: () => "requête en erreur",
  });
}
