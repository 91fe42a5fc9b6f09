import { normalFrom, type Random, seededRandom } from "../../../core/index.ts";
import { ActionInputError } from "../errors.ts";

const ACTION = "noop";
const UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/** `500ms`, `10s`, `5m`, `1h` (OPERATIONS.md "Durations") or a number of milliseconds. */
export function parseMs(field: string, value: unknown): number {
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) return value;
  if (typeof value === "string") {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(value);
    if (match?.[1] !== undefined && match[2] !== undefined)
      return Number(match[1]) * UNITS[match[2] as keyof typeof UNITS];
  }
  throw new ActionInputError(ACTION, field, 'must be a duration such as "500ms", "10s", "5m", "1h"');
}

/**
 * How long a noop takes: fixed, uniform between two durations, or log-normal around a median —
 * the shapes real steps tend to have, so a simulation can be checked against runs whose truth is known.
 */
export type DurationSpec =
  | { readonly kind: "fixed"; readonly ms: number }
  | { readonly kind: "uniform"; readonly minMs: number; readonly maxMs: number }
  | { readonly kind: "lognormal"; readonly medianMs: number; readonly sigma: number };

const DURATION_FORMS =
  'must be a duration ("2s"), { min: "1s", max: "3s" } (uniform) or { median: "2s", sigma: 0.5 } (log-normal)';

export function parseDurationSpec(value: unknown): DurationSpec {
  if (typeof value === "string" || typeof value === "number")
    return { kind: "fixed", ms: parseMs("duration", value) };
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new ActionInputError(ACTION, "duration", DURATION_FORMS);
  const spec = value as Record<string, unknown>;
  const keys = Object.keys(spec).sort().join(",");
  if (keys === "max,min") {
    const minMs = parseMs("duration.min", spec.min);
    const maxMs = parseMs("duration.max", spec.max);
    if (maxMs < minMs) throw new ActionInputError(ACTION, "duration.max", "must not be less than min");
    return { kind: "uniform", minMs, maxMs };
  }
  if (keys === "median,sigma") {
    const sigma = spec.sigma;
    if (typeof sigma !== "number" || !Number.isFinite(sigma) || sigma < 0 || sigma > 5)
      throw new ActionInputError(ACTION, "duration.sigma", "must be a number from 0 to 5");
    return { kind: "lognormal", medianMs: parseMs("duration.median", spec.median), sigma };
  }
  throw new ActionInputError(ACTION, "duration", DURATION_FORMS);
}

export function parseFailRate(value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > 1)
    throw new ActionInputError(
      ACTION,
      "fail_rate",
      "must be a number from 0 to 1 (the chance each call fails)",
    );
  return value;
}

export function parseSeed(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "string" || typeof value === "number") return String(value);
  throw new ActionInputError(ACTION, "seed", "must be a string or a number");
}

export function drawMs(spec: DurationSpec, random: Random): number {
  switch (spec.kind) {
    case "fixed":
      return spec.ms;
    case "uniform":
      return Math.round(spec.minMs + (spec.maxMs - spec.minMs) * random());
    case "lognormal":
      return Math.round(spec.medianMs * Math.exp(spec.sigma * normalFrom(random)));
  }
}

/**
 * The n-th call of a seed within a run draws from `seed#n`: each attempt (a retry too) is a new,
 * reproducible draw. Counts are kept for the most recent seeds only, so a long-lived server does
 * not grow without end.
 */
const calls = new Map<string, number>();
const MAX_SEEDS = 50_000;

export function nextRandom(runId: string, seed: string | undefined): Random {
  const key = `${runId}\u0000${seed ?? ""}`;
  const n = calls.get(key) ?? 0;
  calls.delete(key);
  calls.set(key, n + 1);
  if (calls.size > MAX_SEEDS) calls.delete(calls.keys().next().value as string);
  return seededRandom(`${seed ?? runId}#${n}`);
}
