import { type CheckResult, checkPlan, runCheck } from "../checks/index.ts";
import type { Host } from "../hosts/index.ts";
import type { Check } from "../model/index.ts";

export interface NamedResult extends CheckResult {
  readonly name: string;
}

/** Run checks in order; stop at the first that fails. */
export async function runChecks(
  checks: readonly Check[],
  options: { signal: AbortSignal; attemptTimeoutMs?: number; host?: Host },
): Promise<{ ok: boolean; results: NamedResult[] }> {
  const results: NamedResult[] = [];
  for (const check of checks) {
    const { spec, withinMs, name } = checkPlan(check);
    const result = await runCheck(spec, {
      withinMs,
      signal: options.signal,
      ...(options.host ? { host: options.host } : {}),
      ...(options.attemptTimeoutMs ? { attemptTimeoutMs: options.attemptTimeoutMs } : {}),
    });
    results.push({ ...result, name });
    if (!result.ok) return { ok: false, results };
  }
  return { ok: true, results };
}
