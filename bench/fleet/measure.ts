// Wall and CPU time of the bench's two sides, the controller's and the hosts' apart.
import { execFileSync, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/** Seconds of wall time and of CPU time (user + system). */
export interface Sample {
  readonly seconds: number;
  readonly cpu: number;
}

const TICKS = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

/** `/proc/PID/stat` past the command name (which may hold spaces and parentheses). */
function statFields(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    return text.slice(text.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined; // gone meanwhile
  }
}

/** CPU seconds of a process: its own, and with `children` those of the children it reaped. */
export function processCpu(pid: number, children: boolean): number {
  const f = statFields(pid);
  if (f === undefined) return 0;
  // Fields 14-17 of stat (utime stime cutime cstime) are 11-14 here, counted from state (3).
  const ticks = Number(f[11]) + Number(f[12]) + (children ? Number(f[13]) + Number(f[14]) : 0);
  return ticks / TICKS;
}

/** Processes whose parent is `parent`. */
export function childrenOf(parent: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    if (Number(statFields(Number(entry))?.[1]) === parent) out.push(Number(entry));
  }
  return out;
}

/** Processes whose command line contains `text` (Ansible's persisted ssh masters). */
export function processesWith(text: string): number[] {
  const out: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(text)) out.push(Number(entry));
    } catch {}
  }
  return out;
}

/** `Nm1.5s` (as the shell's `times` prints it) in seconds. */
function shellSeconds(text: string | undefined): number {
  const match = /^(\d+)m([\d.]+)s$/.exec(text ?? "");
  return match ? Number(match[1]) * 60 + Number(match[2]) : Number.NaN;
}

export interface Finished extends Sample {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a command to its end. Its CPU time comes from the shell's `times` (POSIX), which counts
 * every descendant the command waited for; processes it left running (Ansible's ssh masters)
 * are the caller's to count.
 */
export function timedRun(command: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd: string) {
  return new Promise<Finished>((resolve, reject) => {
    const started = performance.now();
    const script = '"$@"; status=$?; times >&2; exit $status';
    const child = spawn("sh", ["-c", script, "sh", command, ...args], {
      cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const seconds = (performance.now() - started) / 1000;
      const lines = stderr.trimEnd().split("\n");
      const [user, system] = (lines.at(-1) ?? "").trim().split(/\s+/);
      resolve({
        code,
        stdout,
        stderr: lines.slice(0, -2).join("\n"),
        seconds,
        cpu: shellSeconds(user) + shellSeconds(system),
      });
    });
  });
}

/** Polls `done` until it holds, at most `limitMs` (what ends is other processes, not a timer). */
export async function waitFor(done: () => boolean, what: string, limitMs = 60_000): Promise<void> {
  const until = Date.now() + limitMs;
  while (!done()) {
    if (Date.now() > until) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
