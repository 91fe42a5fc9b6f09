import { type Check, type CheckResult, checkPlan, runCheck } from "../../operations/index.ts";

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
  const { spec, name, withinMs } = checkPlan(check);
  const result = await runCheck(spec, {
    withinMs: options.withinMs ?? withinMs,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { ...result, name };
};
