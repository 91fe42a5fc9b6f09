import { spawn } from "node:child_process";

export interface ShellOptions {
  readonly cwd?: string | undefined;
  readonly env?: Readonly<Record<string, string>> | undefined;
  /** Aborting stops the command: SIGTERM to its process group, SIGKILL after `graceMs`. */
  readonly signal: AbortSignal;
  readonly graceMs?: number;
  /** Most bytes kept of each of stdout and stderr (default 1 MiB). */
  readonly maxOutput?: number;
  /**
   * How long output may keep arriving once the shell has exited and its group is killed
   * (default 500 ms). Past it, a process that left the group (`setsid`) but holds the output
   * pipes open no longer holds the result back.
   */
  readonly drainMs?: number;
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
 * behind, cannot outlive its run. When the shell exits, whatever it left running in its group
 * (`server &`) is killed, and the result does not wait for a process that escaped the group and
 * keeps the output pipes open. Never throws: what happened is in the result.
 */
export function runShell(command: string, options: ShellOptions): Promise<ShellResult> {
  const maxOutput = options.maxOutput ?? 1024 * 1024;
  return new Promise((resolve) => {
    let stdout = "";
    let stderr = "";
    let killer: NodeJS.Timeout | undefined;
    let drain: NodeJS.Timeout | undefined;
    let settled = false;
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
    const settle = (result: ShellResult) => {
      if (settled) return;
      settled = true;
      options.signal.removeEventListener("abort", onAbort);
      if (killer) clearTimeout(killer);
      if (drain) clearTimeout(drain);
      child.stdout.destroy();
      child.stderr.destroy();
      resolve(result);
    };
    if (options.signal.aborted) onAbort();
    else options.signal.addEventListener("abort", onAbort, { once: true });
    // Decoded as a stream, so a character split between two chunks stays one character.
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (d: string) => {
      if (stdout.length < maxOutput) stdout += d;
    });
    child.stderr.on("data", (d: string) => {
      if (stderr.length < maxOutput) stderr += d;
    });
    child.on("error", (error: NodeJS.ErrnoException) => {
      settle({
        code: null,
        signal: null,
        stdout,
        stderr,
        aborted: false,
        startError: error.code ?? error.message,
      });
    });
    child.on("exit", (code, sig) => {
      // The shell is gone; nothing it started in its group may live on (this also closes the
      // pipes those processes held, so 'close' follows at once).
      killGroup("SIGKILL");
      drain = setTimeout(
        () => settle({ code, signal: sig, stdout, stderr, aborted: options.signal.aborted }),
        options.drainMs ?? 500,
      );
    });
    child.on("close", (code, sig) => {
      killGroup("SIGKILL");
      settle({ code, signal: sig, stdout, stderr, aborted: options.signal.aborted });
    });
  });
}
