import { quote } from "../../core/index.ts";
import { runShell } from "../process/run-shell.ts";
import type { Attempt, CheckSpec } from "./model.ts";

type CommandSpec = Extract<CheckSpec, { kind: "command" }>;

/** Exit code `exit_code` (default 0) and, when given, output containing `stdout_contains`. */
export async function commandAttempt(spec: CommandSpec, signal: AbortSignal): Promise<Attempt> {
  const wantCode = spec.exit_code ?? 0;
  const expected = `exit code ${wantCode} from ${quote(spec.run)}${spec.stdout_contains !== undefined ? ` with output containing ${quote(spec.stdout_contains)}` : ""}`;
  const r = await runShell(spec.run, { cwd: spec.cwd, signal });
  if (r.startError) return { ok: false, expected, observed: `could not start: ${r.startError}` };
  if (r.aborted)
    return { ok: false, expected, observed: `stopped before it finished (${r.signal ?? `exit ${r.code}`})` };
  const codeOk = r.code === wantCode;
  const outOk = spec.stdout_contains === undefined || r.stdout.includes(spec.stdout_contains);
  const tail = (r.stderr || r.stdout).trim().split("\n").slice(-1)[0]?.slice(0, 160) ?? "";
  const observed = `exit code ${r.code ?? r.signal}${!outOk ? `, output without ${quote(spec.stdout_contains)}` : ""}${tail ? `: ${tail}` : ""}`;
  return { ok: codeOk && outOk, expected, observed };
}
