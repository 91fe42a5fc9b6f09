import { homedir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "./errors.ts";

export interface RateLimitConfig {
  /** Requests allowed per window per token (or per client address when anonymous). */
  readonly quota: number;
  /** Window length in seconds. */
  readonly windowSeconds: number;
}

/** `600/10s` → 600 requests per 10 seconds. */
export function parseRateLimit(text: string): RateLimitConfig {
  const m = /^(\d+)\/(\d+)s$/.exec(text.trim());
  if (!m) {
    throw new ConfigError(`rate limit "${text}" is not of the form QUOTA/SECONDSs, e.g. 1200/60s`);
  }
  const quota = Number(m[1]);
  const windowSeconds = Number(m[2]);
  if (quota < 1 || windowSeconds < 1) throw new ConfigError(`rate limit "${text}" must be at least 1/1s`);
  return { quota, windowSeconds };
}

export const DEFAULT_RATE_LIMIT: RateLimitConfig = { quota: 600, windowSeconds: 10 };
export const DEFAULT_PORT = 7878;
export const DEFAULT_HOST = "127.0.0.1";

/** Where the embedded store lives: `$OPSDOJO_HOME`, else `~/.opsdojo`. */
export function opsdojoHome(env: NodeJS.ProcessEnv = process.env): string {
  const home = env.OPSDOJO_HOME;
  return home && home.length > 0 ? home : join(homedir(), ".opsdojo");
}
