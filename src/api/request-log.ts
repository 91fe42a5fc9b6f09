import type { FastifyServerOptions } from "fastify";
import { InvalidInputError } from "../core/index.ts";
import type { ApiApp } from "./core.ts";

/**
 * Structured request logging, one JSON line per request (pino, Fastify's own logger):
 *
 *   {"level":30,"time":…,"reqId":"req_…","method":"GET","url":"/api/runs?token=«redacted»",
 *    "status":200,"duration_ms":3,"msg":"request"}
 *
 * A request that fails inside (a 5xx) adds a line at `error` with the error and its stack,
 * under the same `reqId` that the client got in `X-Request-Id` and the problem's `instance`:
 * the server keeps what the client is never shown. Headers are not logged at all, and the
 * names below are censored wherever they appear, so a bearer token cannot reach a log.
 */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface RequestLogOptions {
  readonly level: LogLevel;
  /** Where lines go; standard error by default, so `serve --json` keeps standard output clean. */
  readonly stream?: NodeJS.WritableStream;
}

const CENSORED = "«redacted»";
const REDACT_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  "headers.authorization",
  "headers.cookie",
  "authorization",
  "token",
  "*.token",
  "*.authorization",
  "*.password",
  "*.secret",
];

/** Query parameters whose values are never logged. */
const SECRET_PARAM = /token|secret|passw|pwd|key|sig|auth|credential|session|code/i;

/** The request target with the values of secret-looking query parameters replaced. */
export function redactUrl(url: string): string {
  const at = url.indexOf("?");
  if (at < 0) return url;
  const parts = url
    .slice(at + 1)
    .split("&")
    .map((pair) => {
      const eq = pair.indexOf("=");
      const name = eq < 0 ? pair : pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        // a malformed name is logged as sent
      }
      return eq >= 0 && SECRET_PARAM.test(decoded) ? `${name}=${CENSORED}` : pair;
    });
  return `${url.slice(0, at)}?${parts.join("&")}`;
}

/** Fastify's `logger` option for these options: pino with redaction and no default req/res dumps. */
type PinoOptions = Exclude<FastifyServerOptions["logger"], boolean | undefined>;

export function loggerOptions(options: RequestLogOptions): PinoOptions {
  return {
    level: options.level,
    stream: options.stream ?? process.stderr,
    redact: { paths: REDACT_PATHS, censor: CENSORED },
    // Fastify's default serializers would log headers and the remote port; ours log nothing of
    // the request beyond what the one line below chooses.
    serializers: {
      req: () => undefined,
      res: () => undefined,
    },
  } as unknown as PinoOptions;
}

/** The one line per request, written when the response has been sent. */
export function registerRequestLog(app: ApiApp): void {
  app.addHook("onResponse", async (request, reply) => {
    const line = {
      method: request.method,
      url: redactUrl(request.url),
      status: reply.statusCode,
      duration_ms: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (reply.statusCode >= 500) request.log.error(line, "request");
    else request.log.info(line, "request");
  });
}

/** `--log-level`, else `OPSDOJO_LOG_LEVEL`, else `info`. */
export function parseLogLevel(flag: string | undefined, env: NodeJS.ProcessEnv): LogLevel {
  const text = flag ?? (env.OPSDOJO_LOG_LEVEL || undefined);
  if (text === undefined) return "info";
  const level = text.toLowerCase();
  if ((LOG_LEVELS as readonly string[]).includes(level)) return level as LogLevel;
  const source = flag !== undefined ? "--log-level" : "OPSDOJO_LOG_LEVEL";
  throw new InvalidInputError(`${source} "${text}" is not a log level; use one of: ${LOG_LEVELS.join(", ")}`);
}
