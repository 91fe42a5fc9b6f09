import { spawn } from "node:child_process";

export interface ShellOptions {
  readonly cwd?: string | undefined;
  readonly env?: Readonly<Record<string, string>> | undefined;
  /** Aborting stops the command: SIGTERM to its process group, SIGKILL after `graceMs`. */
  readonly signal: AbortSignal;
  readonly graceMs?: number;
  /** Most bytes kept of each of stdout and stderr (default 1 MiB). */
  readonly maxOutput?: number;
}

export interface ShellResult {
  /** Exit code, or null when a signal ended it. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** True when it was stopped through `signal` (timeout, run stopped). */
  readonly aborted: boolean;
  /** Set when the shell could not be started at all. */
  readonly startError?: string;
}

/**
 * Run a command with /bin/sh in a process group of its own. When stopped, the whole group gets
 * SIGTERM and, after a grace period, SIGKILL — a command that traps SIGTERM, or leaves children
 * behind, cannot outlive its run. Never throws: what happened is in the result.
 */
export function runShell(command: string, options: ShellOptions): Promise<ShellResult> {
  const maxOutput = options.maxOutput ?? 1024 * 1024;
  return new Promise((resolve) => {
    let stdout = "";
    let stderr = "";
    let killer: NodeJS.Timeout | undefined;
    const child = spawn("/bin/sh", ["-c", command], {
      ...(options.cwd ? { cwd: options.cwd } : {}),
      env: { ...process.env, ...options.env },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const killGroup = (sig: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, sig);
      } catch {
        // the group is gone already
      }
    };
    const onAbort = () => {
      killGroup("SIGTERM");
      killer = setTimeout(() => killGroup("SIGKILL"), options.graceMs ?? 2000);
    };
    if (options.signal.aborted) onAbort();
    else options.signal.addEventListener("abort", onAbort, { once: true });
    child.stdout.on("data", (d: Buffer) => {
      if (stdout.length < maxOutput) stdout += d.toString("utf8");
    });
    child.stderr.on("data", (d: Buffer) => {
      if (stderr.length < maxOutput) stderr += d.toString("utf8");
    });
    child.on("error", (error: NodeJS.ErrnoException) => {
      options.signal.removeEventListener("abort", onAbort);
      resolve({
        code: null,
        signal: null,
        stdout,
        stderr,
        aborted: false,
        startError: error.code ?? error.message,
      });
    });
    child.on("close", (code, sig) => {
      options.signal.removeEventListener("abort", onAbort);
      if (killer) clearTimeout(killer);
      // The shell is gone; nothing it started in its group may live on.
      killGroup("SIGKILL");
      resolve({ code, signal: sig, stdout, stderr, aborted: options.signal.aborted });
    });
  });
}
