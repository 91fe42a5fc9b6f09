import { CHECK_KINDS, type Check, parseDuration } from "../model/index.ts";
import type { CheckSpec } from "./model.ts";

/** A check from an operation or scenario file, ready to run: what to check, its name, how long to retry. */
export interface CheckPlan {
  readonly spec: CheckSpec;
  /** Its own `name:`, else `<kind> <what>`: `http http://…/health`, `tcp db:5432`. */
  readonly name: string;
  /** `within:` in ms; 0 checks once. */
  readonly withinMs: number;
}

/**
 * The plan of a check (after interpolation), or undefined when it has none of the four kinds —
 * which the loader never lets through, but a diagnosis reads checks back from stored text.
 *
 * @example
 * findCheckPlan({ http: { url: "http://127.0.0.1:8080/health" }, within: "5s" })
 * // { spec: { kind: "http", url: "http://127.0.0.1:8080/health" }, name: "http http://127.0.0.1:8080/health", withinMs: 5000 }
 */
export function findCheckPlan(check: Check): CheckPlan | undefined {
  const c = check as Record<string, unknown>;
  for (const kind of CHECK_KINDS) {
    const body = c[kind];
    if (body && typeof body === "object") {
      const spec = { kind, ...body } as CheckSpec;
      return {
        spec,
        name: typeof c.name === "string" ? c.name : describe(spec),
        withinMs: typeof c.within === "string" ? (parseDuration(c.within) ?? 0) : 0,
      };
    }
  }
  return undefined;
}

/** {@link findCheckPlan} for a check the loader has validated: one without a kind is a bug. */
export function checkPlan(check: Check): CheckPlan {
  const plan = findCheckPlan(check);
  if (!plan) throw new Error("a check has none of http, command, file, tcp");
  return plan;
}

function describe(spec: CheckSpec): string {
  switch (spec.kind) {
    case "http":
      return `http ${spec.url}`;
    case "command":
      return `command ${spec.run}`;
    case "file":
      return `file ${spec.path}`;
    case "tcp":
      return `tcp ${spec.host}:${spec.port}`;
  }
}
