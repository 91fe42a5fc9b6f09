import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Helpers for end-to-end tests that run the real `opsdojo` command in child processes. */

export const BIN = fileURLToPath(new URL("../../bin/opsdojo.js", import.meta.url));

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment of a user with a fresh store and none of the caller's opsdojo settings. */
export function cleanEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("OPSDOJO_")) env[k] = v;
  return { ...env, NO_COLOR: "1", FORCE_COLOR: "", OPSDOJO_HOME: home, ...extra };
}

/** Run the real `opsdojo` command, as a user would, and wait for it to exit. */
export function opsdojo(home: string, args: string[], extraEnv: Record<string, string> = {}): Promise<Run> {
  return nodeProcess([BIN, ...args], home, extraEnv);
}

/** Run `node ARGS` (a script such as the learning demo) with the clean environment of `home`. */
export function nodeProcess(
  args: string[],
  home: string,
  extraEnv: Record<string, string> = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: cleanEnv(home, extraEnv) });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

export interface Started {
  readonly child: ChildProcess;
  readonly info: {
    url: string;
    dashboard_url: string;
    token: string;
    first_start: boolean;
    expires_at: string | null;
    services: string[];
  };
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** `opsdojo serve --port 0 --json` in a child process; resolves once it printed where it listens. */
export function startServe(
  home: string,
  args: string[] = [],
  extraEnv: Record<string, string> = {},
): Promise<Started> {
  return startServeWith([BIN], home, args, extraEnv);
}

/** {@link startServe} with another way to start opsdojo: `node ...command serve …`. */
export function startServeWith(
  command: string[],
  home: string,
  args: string[] = [],
  extraEnv: Record<string, string> = {},
): Promise<Started> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...command, "serve", "--port", "0", "--json", ...args], {
      env: cleanEnv(home, extraEnv),
    });
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    const stop = async () => {
      child.kill("SIGTERM");
      return exited;
    };
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      try {
        resolve({ child, info: JSON.parse(stdout) as Started["info"], stop });
      } catch {
        // not all of the JSON yet
      }
    });
    void exited.then((code) => reject(new Error(`serve exited with ${code} before it listened: ${stderr}`)));
  });
}
