import { type CheckResult, type CheckSpec, runCheck } from "../../operations/checks/index.ts";
import { type Check, parseDuration } from "../../operations/model/index.ts";

export interface NamedCheckResult extends CheckResult {
  readonly name: string;
}

/** Runs one check; injected in tests. */
export type CheckRunner = (
  check: Check,
  options: { withinMs?: number; signal?: AbortSignal },
) => Promise<NamedCheckResult>;

/** The default: the operations engine's checks (http, command, file, tcp) with `within`. */
export const runScenarioCheck: CheckRunner = async (check, options) => {
  const { spec, name, withinMs } = specOf(check);
  const result = await runCheck(spec, {
    withinMs: options.withinMs ?? withinMs,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { ...result, name };
};

/** A scenario check as the checks module runs it, and the name it is known by on the timeline. */
export function specOf(check: Check): { spec: CheckSpec; name: string; withinMs: number } {
  const c = check as Record<string, unknown> & { name?: string; within?: string };
  for (const kind of ["http", "command", "file", "tcp"] as const) {
    const body = c[kind];
    if (body && typeof body === "object") {
      const spec = { kind, ...(body as object) } as CheckSpec;
      return {
        spec,
        name: c.name ?? describe(spec),
        withinMs: c.within ? (parseDuration(c.within) ?? 0) : 0,
      };
    }
  }
  throw new Error("a check has none of http, command, file, tcp");
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
