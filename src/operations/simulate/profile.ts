import { readFile } from "node:fs/promises";
import { LineCounter, parseDocument } from "yaml";
import { ProfileError } from "./errors.ts";
import type { Dist } from "./model.ts";

/** Declared numbers for a step or an action that has not run (or whose history should be overridden). */
export interface DeclaredStep {
  readonly duration?: Dist;
  readonly failRate?: number;
  readonly retryFailRate?: number;
  readonly checkFailRate?: number;
  readonly checkLatency?: Dist;
  readonly undo?: Dist;
}

/**
 * simulation-profile/v1 (docs/operations.md "Simulate"):
 *
 * ```yaml
 * opsdojo: simulation-profile/v1
 * steps:
 *   deploy: { duration: { median: 40s, sigma: 0.5 }, fail_rate: 0.01, undo: 20s }
 * actions:
 *   shell.run: { duration: { min: 1s, max: 3s } }
 * correlated: { batch_rate: 0.01, fail_rate: 0.5 }
 * steady_state: { fail_rate: 0.001, latency: 5s }
 * ```
 */
export interface Profile {
  readonly steps: ReadonlyMap<string, DeclaredStep>;
  readonly actions: ReadonlyMap<string, DeclaredStep>;
  readonly correlated?: { readonly batchRate: number; readonly failRate: number };
  readonly steadyState?: { readonly failRate?: number; readonly latency?: Dist };
}

export const EMPTY_PROFILE: Profile = { steps: new Map(), actions: new Map() };

const UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
const STEP_FIELDS = ["duration", "fail_rate", "retry_fail_rate", "check_fail_rate", "check_latency", "undo"];

type Fail = (path: readonly (string | number)[], message: string) => never;

function ms(value: unknown, path: (string | number)[], fail: Fail): number {
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) return value;
  const match = typeof value === "string" ? /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(value) : null;
  if (match?.[1] === undefined || match[2] === undefined)
    fail(path, 'expected a duration such as "500ms", "10s", "5m"');
  return Number(match[1]) * UNITS[match[2] as keyof typeof UNITS];
}

function dist(value: unknown, path: (string | number)[], fail: Fail): Dist {
  if (typeof value === "string" || typeof value === "number")
    return { kind: "fixed", ms: ms(value, path, fail) };
  const o = value as Record<string, unknown> | null;
  const keys = o && typeof o === "object" ? Object.keys(o).sort().join(",") : "";
  if (o && keys === "max,min") {
    const minMs = ms(o.min, [...path, "min"], fail);
    const maxMs = ms(o.max, [...path, "max"], fail);
    if (maxMs < minMs) fail([...path, "max"], "expected max not less than min");
    return { kind: "uniform", minMs, maxMs };
  }
  if (o && keys === "median,sigma") {
    const sigma = o.sigma;
    if (typeof sigma !== "number" || sigma < 0 || sigma > 5)
      fail([...path, "sigma"], "expected a number from 0 to 5");
    return { kind: "lognormal", medianMs: ms(o.median, [...path, "median"], fail), sigma };
  }
  return fail(path, 'expected a duration ("2s"), { min, max } (uniform) or { median, sigma } (log-normal)');
}

function rate(value: unknown, path: (string | number)[], fail: Fail): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > 1)
    fail(path, "expected a probability from 0 to 1");
  return value;
}

function objectAt(value: unknown, path: (string | number)[], fail: Fail): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) fail(path, "expected a mapping");
  return value as Record<string, unknown>;
}

function declared(value: unknown, path: (string | number)[], fail: Fail): DeclaredStep {
  const o = objectAt(value, path, fail);
  for (const key of Object.keys(o))
    if (!STEP_FIELDS.includes(key))
      fail([...path, key], `unknown field; expected one of ${STEP_FIELDS.join(", ")}`);
  const at = (k: string) => [...path, k];
  return {
    ...(o.duration !== undefined ? { duration: dist(o.duration, at("duration"), fail) } : {}),
    ...(o.fail_rate !== undefined ? { failRate: rate(o.fail_rate, at("fail_rate"), fail) } : {}),
    ...(o.retry_fail_rate !== undefined
      ? { retryFailRate: rate(o.retry_fail_rate, at("retry_fail_rate"), fail) }
      : {}),
    ...(o.check_fail_rate !== undefined
      ? { checkFailRate: rate(o.check_fail_rate, at("check_fail_rate"), fail) }
      : {}),
    ...(o.check_latency !== undefined
      ? { checkLatency: dist(o.check_latency, at("check_latency"), fail) }
      : {}),
    ...(o.undo !== undefined ? { undo: dist(o.undo, at("undo"), fail) } : {}),
  };
}

/** Parse a profile's text; errors name the file and line of the field that is wrong. */
export function parseProfile(text: string, file: string): Profile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const line = first?.linePos?.[0]?.line;
    throw new ProfileError(file, line, `not valid YAML: ${first?.message.split("\n")[0] ?? "parse error"}`);
  }
  const fail: Fail = (path, message) => {
    const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
    const line = node?.range ? lines.linePos(node.range[0]).line : undefined;
    throw new ProfileError(file, line, `${path.join(".") || "(top)"}: ${message}`);
  };
  const root = objectAt(doc.toJS(), [], fail);
  const known = ["opsdojo", "steps", "actions", "correlated", "steady_state"];
  for (const key of Object.keys(root))
    if (!known.includes(key)) fail([key], `unknown field; expected one of ${known.join(", ")}`);
  if (root.opsdojo !== undefined && root.opsdojo !== "simulation-profile/v1")
    fail(["opsdojo"], "expected simulation-profile/v1");
  const mapOf = (key: string): Map<string, DeclaredStep> => {
    if (root[key] === undefined) return new Map();
    const o = objectAt(root[key], [key], fail);
    return new Map(Object.entries(o).map(([name, v]) => [name, declared(v, [key, name], fail)]));
  };
  let correlated: Profile["correlated"];
  if (root.correlated !== undefined) {
    const c = objectAt(root.correlated, ["correlated"], fail);
    correlated = {
      batchRate: rate(c.batch_rate, ["correlated", "batch_rate"], fail),
      failRate: rate(c.fail_rate, ["correlated", "fail_rate"], fail),
    };
  }
  let steadyState: Profile["steadyState"];
  if (root.steady_state !== undefined) {
    const s = objectAt(root.steady_state, ["steady_state"], fail);
    steadyState = {
      ...(s.fail_rate !== undefined
        ? { failRate: rate(s.fail_rate, ["steady_state", "fail_rate"], fail) }
        : {}),
      ...(s.latency !== undefined ? { latency: dist(s.latency, ["steady_state", "latency"], fail) } : {}),
    };
  }
  return {
    steps: mapOf("steps"),
    actions: mapOf("actions"),
    ...(correlated ? { correlated } : {}),
    ...(steadyState ? { steadyState } : {}),
  };
}

/** Read and parse a profile file; an unreadable file is said as such, never shown. */
export async function loadProfile(file: string): Promise<Profile> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new ProfileError(
      file,
      undefined,
      `cannot read the profile (${(error as NodeJS.ErrnoException).code ?? "error"})`,
    );
  }
  return parseProfile(text, file);
}
