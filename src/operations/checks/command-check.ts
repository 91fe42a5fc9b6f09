import { spawn } from "node:child_process";
import type { Attempt, CheckSpec } from "./model.ts";

type CommandSpec = Extract<CheckSpec, { kind: "command" }>;

const MAX_OUTPUT = 1024 * 1024;
/** After SIGTERM, how long a command gets before its whole process group is killed. */
const GRACE_MS = 2000;

/**
 * Run `run` with /bin/sh in a process group of its own; when the attempt is cancelled (timeout,
 * run stopped) the group gets SIGTERM and, if anything in it ignores that, SIGKILL — so a
 * command that traps SIGTERM cannot hang a run.
 */
export function commandAttempt(spec: CommandSpec, signal: AbortSignal): Promise<Attempt> {
  const wantCode = spec.exit_code ?? 0;
  const expected = `exit code ${wantCode} from ${JSON.stringify(spec.run)}${spec.stdout_contains !== undefined ? ` with output containing ${JSON.stringify(spec.stdout_contains)}` : ""}`;
  return new Promise((resolve) => {
    let stdout = "";
    let stderr = "";
    let killer: NodeJS.Timeout | undefined;
    const child = spawn("/bin/sh", ["-c", spec.run], {
      ...(spec.cwd ? { cwd: spec.cwd } : {}),
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const killGroup = (sig: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, sig);
      } catch {
        // already gone
      }
    };
    const onAbort = () => {
      killGroup("SIGTERM");
      killer = setTimeout(() => killGroup("SIGKILL"), GRACE_MS);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    child.stdout.on("data", (d: Buffer) => {
      if (stdout.length < MAX_OUTPUT) stdout += d.toString("utf8");
    });
    child.stderr.on("data", (d: Buffer) => {
      if (stderr.length < MAX_OUTPUT) stderr += d.toString("utf8");
    });
    child.on("error", (error) => {
      signal.removeEventListener("abort", onAbort);
      resolve({
        ok: false,
        expected,
        observed: `could not start: ${(error as NodeJS.ErrnoException).code ?? error.message}`,
      });
    });
    child.on("close", (code, sig) => {
      signal.removeEventListener("abort", onAbort);
      if (killer) clearTimeout(killer);
      // The shell is gone; make sure nothing it left behind in its group lives on.
      killGroup("SIGKILL");
      if (signal.aborted) {
        resolve({ ok: false, expected, observed: `stopped before it finished (${sig ?? `exit ${code}`})` });
        return;
      }
      const codeOk = code === wantCode;
      const outOk = spec.stdout_contains === undefined || stdout.includes(spec.stdout_contains);
      const tail = (stderr || stdout).trim().split("\n").slice(-1)[0]?.slice(0, 160) ?? "";
      const observed = `exit code ${code ?? sig}${!outOk ? `, output without ${JSON.stringify(spec.stdout_contains)}` : ""}${tail ? `: ${tail}` : ""}`;
      resolve({ ok: codeOk && outOk, expected, observed });
    });
  });
}
