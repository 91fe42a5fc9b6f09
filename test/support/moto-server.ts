import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { freePort } from "./ports.ts";
import { until } from "./until.ts";

/** moto checks no signatures; any key pair will do. */
export const MOTO_CREDENTIALS = { AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing" } as const;

const INSTALL_HINT = "moto_server is not on PATH: install it with pip install 'moto[server]' (moto 5)";

/**
 * Runs moto_server ("$@") and stops it when our end of its stdin closes: when we stop it, and
 * also when the process that started it dies without cleaning up (a killed test run), which no
 * exit handler survives. The same watchdog as PostgreSQL's (postgres.ts).
 */
const WATCHDOG = [
  "exec 3<&0",
  '"$@" </dev/null 3<&- &',
  "pid=$!",
  '( read -r _ <&3; kill -TERM "$pid" 2>/dev/null ) &',
  'wait "$pid"',
].join("\n");

/** The shell's exit code for a command it could not find. */
const NOT_FOUND = 127;

export interface MotoServer {
  readonly endpoint: string;
  /** The standard AWS variables that point the SDK (and the opsdojo CLI) at this server. */
  readonly env: Readonly<Record<string, string>>;
  /** CPU seconds (user + system) moto_server has used so far, from /proc; 0 once it is gone. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(5_000) });
    await response.arrayBuffer();
    return response.status < 500;
  } catch {
    return false;
  }
}

/** The AWS variables for a moto_server at `endpoint`, with the given key pair. */
export function motoEnv(
  endpoint: string,
  credentials: Readonly<Record<string, string>> = MOTO_CREDENTIALS,
): Record<string, string> {
  return {
    ...credentials,
    AWS_REGION: "us-east-1",
    // Every service moto plays (EC2, ELBv2, Auto Scaling, IAM, Route 53…) at this one server.
    AWS_ENDPOINT_URL: endpoint,
    AWS_ENDPOINT_URL_EC2: endpoint,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  };
}

function statCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime, stime, and (for the waited-for children) cutime, cstime, in 1/100 s.
    return [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0) / 100;
  } catch {
    return 0;
  }
}

/** The watchdog shell's CPU and its children's: moto_server itself is one of them. */
function treeCpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).map(Number);
  } catch {}
  return children.filter((c) => c > 0).reduce((sum, c) => sum + statCpuSeconds(c), statCpuSeconds(pid));
}

/**
 * One `moto_server` on 127.0.0.1 at a free port, waited for until it answers. Without moto this
 * throws (the AWS tests fail, never skip) with how to install it. Test files do not call this:
 * they share one server per run through `useMoto()` (moto.ts), each in an account of its own.
 *
 * @example
 * const moto = await startMoto(); … await moto.stop();
 */
export async function startMoto(options: { command?: string } = {}): Promise<MotoServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    "/bin/sh",
    ["-c", WATCHDOG, "sh", options.command ?? "moto_server", "-H", "127.0.0.1", "-p", String(port)],
    {
      stdio: ["pipe", "ignore", "pipe"],
      // moto loads thousands of public AMIs into every region it touches, which costs most of
      // the CPU of an EC2 test; the tests make or look up the images they use.
      env: { ...process.env, MOTO_EC2_LOAD_DEFAULT_AMIS: "false" },
    },
  );
  child.stdin?.on("error", () => {}); // EPIPE once the shell is gone
  let exited: string | undefined;
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    if (stderr.length < 4_000) stderr += chunk.toString();
  });
  child.once("error", (error: Error) => {
    exited = `moto_server did not start: ${error.message}`;
  });
  child.once("exit", (code, signal) => {
    child.stdin?.end(); // lets the watchdog's reader go too
    exited ??=
      code === NOT_FOUND
        ? INSTALL_HINT
        : `moto_server exited (${code ?? signal}) before it answered: ${stderr.slice(-500)}`;
  });
  const endpoint = `http://127.0.0.1:${port}`;
  await until(async () => {
    if (exited !== undefined) throw new Error(exited);
    return answers(endpoint);
  }, `moto_server to answer on ${endpoint}`);
  // Drained and dropped from here on: a pipe nobody reads would eventually block the server.
  child.stderr?.removeAllListeners("data");
  child.stderr?.resume();
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.stdin?.end();
    await gone;
  };
  return {
    endpoint,
    env: motoEnv(endpoint),
    cpuSeconds: () => treeCpuSeconds(child.pid),
    stop,
  };
}
