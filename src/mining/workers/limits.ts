import { availableParallelism } from "node:os";
import { ConfigError } from "../../core/index.ts";

/**
 * What one node lets mining requests cost. Every limit is named the same way in the problem a
 * breach answers, in `OPSDOJO_MINING_*` and in serve's `mining` option, so the problem can say
 * exactly what to raise.
 */
export interface MiningLimits {
  /** Worker threads that run discovery, template mining and deviation checks. */
  readonly workers: number;
  /** Jobs that may wait for a worker; one more is a 503 with Retry-After. */
  readonly queue: number;
  /** Distinct activities an event log may have to be discovered from. */
  readonly maxActivities: number;
  /** Events an event log may have to be discovered from (a job's or an uploaded one). */
  readonly maxEvents: number;
  /** Templates a mining job may grow to. */
  readonly maxTemplates: number;
  /** Bytes one streamed upload of lines may carry. */
  readonly maxUploadBytes: number;
  /** Bytes of a JSON body that carries an event log (`POST /api/mining/models`). */
  readonly maxLogBytes: number;
  /**
   * Milliseconds a worker may spend on one job: a discovery or a deviation replay, or one batch
   * of an upload's lines (an upload as a whole is bounded by `maxUploadBytes`).
   */
  readonly jobDeadlineMs: number;
}

export type LimitName = Exclude<keyof MiningLimits, "workers" | "queue">;

/** Each setting: its environment variable, and the status a breach answers. */
export const LIMIT_SETTINGS = {
  workers: { env: "OPSDOJO_MINING_WORKERS", status: 0 },
  queue: { env: "OPSDOJO_MINING_QUEUE", status: 0 },
  maxActivities: { env: "OPSDOJO_MINING_MAX_ACTIVITIES", status: 422 },
  maxEvents: { env: "OPSDOJO_MINING_MAX_EVENTS", status: 422 },
  maxTemplates: { env: "OPSDOJO_MINING_MAX_TEMPLATES", status: 422 },
  maxUploadBytes: { env: "OPSDOJO_MINING_MAX_UPLOAD_BYTES", status: 413 },
  maxLogBytes: { env: "OPSDOJO_MINING_MAX_LOG_BYTES", status: 413 },
  jobDeadlineMs: { env: "OPSDOJO_MINING_JOB_DEADLINE_MS", status: 422 },
} as const satisfies Record<keyof MiningLimits, { env: string; status: number }>;

/** Defaults: discovery of ~500 activities takes tens of seconds; more is rarely a process. */
export function defaultMiningLimits(cores = availableParallelism()): MiningLimits {
  return {
    workers: Math.max(1, cores - 1),
    queue: 16,
    maxActivities: 500,
    maxEvents: 2_000_000,
    maxTemplates: 20_000,
    maxUploadBytes: 1024 * 1024 * 1024,
    maxLogBytes: 32 * 1024 * 1024,
    jobDeadlineMs: 120_000,
  };
}

/** Defaults, overridden by `OPSDOJO_MINING_*`, overridden by `given`. A bad value is a config error. */
export function resolveMiningLimits(
  given: Partial<MiningLimits> = {},
  env: NodeJS.ProcessEnv = {},
): MiningLimits {
  const limits: Record<string, number> = { ...defaultMiningLimits() };
  for (const [key, { env: name }] of Object.entries(LIMIT_SETTINGS)) {
    const text = env[name];
    if (text !== undefined && text !== "") limits[key] = parseSetting(text, name);
  }
  for (const [key, value] of Object.entries(given)) {
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < (key === "queue" ? 0 : 1))
      throw new ConfigError(
        `mining option ${key} must be a whole number of at least ${key === "queue" ? 0 : 1}`,
      );
    limits[key] = value;
  }
  return limits as unknown as MiningLimits;
}

function parseSetting(text: string, name: string): number {
  const value = Number(text.replace(/_/g, ""));
  const least = name === LIMIT_SETTINGS.queue.env ? 0 : 1;
  if (!/^\d[\d_]*$/.test(text) || !Number.isSafeInteger(value) || value < least)
    throw new ConfigError(`${name}="${text}" must be a whole number of at least ${least}`, { env: name });
  return value;
}
