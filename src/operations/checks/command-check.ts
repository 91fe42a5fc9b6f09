import { messageOf, quote } from "../../core/index.ts";
import type { Host } from "../hosts/index.ts";
import { runShell } from "../process/run-shell.ts";
import { shellQuote } from "../remote/index.ts";
import type { Attempt, CheckSpec } from "./model.ts";

type CommandSpec = Extract<CheckSpec, { kind: "command" }>;

/** Exit code `exit_code` (default 0) and, when given, output containing `stdout_contains`. */
export async function commandAttempt(spec: CommandSpec, signal: AbortSignal): Promise<Attempt> {
  const r = await runShell(spec.run, { cwd: spec.cwd, signal });
  return judge(spec, r);
}

/** The same check run on the target's host, in its own process group there (remote/exec.ts). */
export async function remoteCommandAttempt(
  spec: CommandSpec,
  signal: AbortSignal,
  host: Host,
): Promise<Attempt> {
  const command = spec.cwd === undefined ? spec.run : `cd ${shellQuote(spec.cwd)} && ${spec.run}`;
  try {
    return judge(spec, await host.exec(command, { signal }));
  } catch (error) {
    return { ok: false, expected: expectedOf(spec), observed: `on ${host.name}: ${messageOf(error)}` };
  }
}

function expectedOf(spec: CommandSpec): string {
  const wantCode = spec.exit_code ?? 0;
  return `exit code ${wantCode} from ${quote(spec.run)}${spec.stdout_contains !== undefined ? ` with output containing ${quote(spec.stdout_contains)}` : ""}`;
}

interface Ran {
  readonly code: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly aborted: boolean;
  readonly startError?: string | undefined;
}

function judge(spec: CommandSpec, r: Ran): Attempt {
  const wantCode = spec.exit_code ?? 0;
  const expected = expectedOf(spec);
  if (r.startError) return { ok: false, expected, observed: `could not start: ${r.startError}` };
  if (r.aborted)
    return { ok: false, expected, observed: `stopped before it finished (${r.signal ?? `exit ${r.code}`})` };
  const codeOk = r.code === wantCode;
  const outOk = spec.stdout_contains === undefined || r.stdout.includes(spec.stdout_contains);
  const tail = (r.stderr || r.stdout).trim().split("\n").slice(-1)[0]?.slice(0, 160) ?? "";
  const observed = `exit code ${r.code ?? r.signal}${!outOk ? `, output without ${quote(spec.stdout_contains)}` : ""}${tail ? `: ${tail}` : ""}`;
  return { ok: codeOk && outOk, expected, observed };
}
