import { type ChildProcess, spawn } from "node:child_process";
import type { Readable, Writable } from "node:stream";

export interface ShellOptions {
  readonly cwd?: string | undefined;
  readonly env?: Readonly<Record<string, string>> | undefined;
  /** True: `env` is the whole environment; by default it is added to this process's own. */
  readonly replaceEnv?: boolean;
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

/** Prefixed to every command, on its first line so that the shell's line numbers stay the user's. */
const GATE = "read _ <&3 || exit 125; exec 3<&-; ";

/**
 * A process outside the command's group that kills the group when this process dies, however
 * it dies (SIGKILL, a crash): it waits for the end of a pipe only this process writes to. Without
 * it, a step's command would live on after its engine was killed — and do its work after, or
 * while, `runs undo` restores what it changes.
 */
function watchGroup(pgid: number): ChildProcess {
  const watchdog = spawn("/bin/sh", ["-c", 'read _; kill -9 "-$1"', "opsdojo-watchdog", String(pgid)], {
    // Its own group too, so a Ctrl-C meant for opsdojo does not stop it first.
    detached: true,
    stdio: ["pipe", "ignore", "ignore"],
  });
  watchdog.on("error", () => {});
  watchdog.stdin?.on("error", () => {});
  return watchdog;
}

/**
 * Run a command with /bin/sh in a process group of its own. When stopped, the whole group gets
 * SIGTERM and, after a grace period, SIGKILL — a command that traps SIGTERM, or leaves children
 * behind, cannot outlive its run. When the shell exits, whatever it left running in its group
 * (`server &`) is killed, and the result does not wait for a process that escaped the group and
 * keeps the output pipes open. If this process dies, the group is killed (see `watchGroup`).
 * Never throws: what happened is in the result.
 */
export function runShell(command: string, options: ShellOptions): Promise<ShellResult> {
  const maxOutput = options.maxOutput ?? 1024 * 1024;
  return new Promise((resolve) => {
    let stdout = "";
    let stderr = "";
    let killer: NodeJS.Timeout | undefined;
    let drain: NodeJS.Timeout | undefined;
    let settled = false;
    // The command starts only once its watchdog runs: the shell first waits for a line on fd 3,
    // written after the watchdog is spawned (at EOF instead — this process died — it never starts).
    const child = spawn("/bin/sh", ["-c", `${GATE}${command}`], {
      ...(options.cwd ? { cwd: options.cwd } : {}),
      env: options.replaceEnv ? { ...options.env } : { ...process.env, ...options.env },
      detached: true,
      stdio: ["ignore", "pipe", "pipe", "pipe"],
    });
    const watchdog = child.pid === undefined ? undefined : watchGroup(child.pid);
    // Piped above, so present (typed as possibly null once stdio has a fourth entry).
    const out = child.stdout as Readable;
    const err = child.stderr as Readable;
    const gate = child.stdio[3] as Writable | null | undefined;
    gate?.on("error", () => {});
    gate?.end("\n");
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
      watchdog?.kill("SIGKILL");
      out.destroy();
      err.destroy();
      resolve(result);
    };
    if (options.signal.aborted) onAbort();
    else options.signal.addEventListener("abort", onAbort, { once: true });
    // Decoded as a stream, so a character split between two chunks stays one character.
    out.setEncoding("utf8");
    err.setEncoding("utf8");
    out.on("data", (d: string) => {
      if (stdout.length < maxOutput) stdout += d;
    });
    err.on("data", (d: string) => {
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
