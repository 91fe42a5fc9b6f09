import { type CheckResult, type CheckSpec, runCheck } from "../checks/index.ts";
import type { Check } from "../model/index.ts";
import { parseDuration } from "../model/index.ts";

export interface NamedResult extends CheckResult {
  readonly name: string;
}

/** A model check (after interpolation) as the checks module runs it. */
export function toSpec(check: Check): { spec: CheckSpec; withinMs: number; name: string } {
  const c = check as Record<string, unknown> & { name?: string; within?: string };
  const withinMs = c.within ? (parseDuration(c.within) ?? 0) : 0;
  for (const kind of ["http", "command", "file", "tcp"] as const) {
    const body = c[kind];
    if (body && typeof body === "object") {
      const spec = { kind, ...(body as object) } as CheckSpec;
      return { spec, withinMs, name: c.name ?? describe(spec) };
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

/** Run checks in order; stop at the first that fails. */
export async function runChecks(
  checks: readonly Check[],
  options: { signal: AbortSignal; attemptTimeoutMs?: number },
): Promise<{ ok: boolean; results: NamedResult[] }> {
  const results: NamedResult[] = [];
  for (const check of checks) {
    const { spec, withinMs, name } = toSpec(check);
    const result = await runCheck(spec, {
      withinMs,
      signal: options.signal,
      ...(options.attemptTimeoutMs ? { attemptTimeoutMs: options.attemptTimeoutMs } : {}),
    });
    results.push({ ...result, name });
    if (!result.ok) return { ok: false, results };
  }
  return { ok: true, results };
}
