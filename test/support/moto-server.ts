import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { afterAll, beforeAll } from "vitest";
import { freePort } from "./ports.ts";
import { until } from "./until.ts";

/** moto takes any key pair; these only have to be there for the SDK to sign. */
const CREDENTIALS = { AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing" } as const;

export interface MotoServer {
  readonly endpoint: string;
  /** The standard AWS variables that point the SDK (and the opsdojo CLI) at this server. */
  readonly env: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

/** Why the AWS network tests cannot run here, and what to do about it; undefined when they can. */
export function motoMissing(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const probe = spawnSync("moto_server", ["--help"], { stdio: "ignore", env });
  if (probe.error === undefined && probe.status === 0) return undefined;
  return "moto_server is not on PATH: these tests need it; install it with pip install 'moto[server]'";
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/moto-api/`);
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * One moto_server (moto 5, server mode: EC2, ELBv2, Auto Scaling, IAM, Route 53 and the rest in
 * memory) on 127.0.0.1 at a free port, ready when it answers. Throws — so the tests fail, not
 * skip — when moto_server is missing.
 *
 * @example
 * const moto = useMotoServer(); // in a test file: started before, stopped after
 */
export async function startMotoServer(): Promise<MotoServer> {
  const missing = motoMissing();
  if (missing !== undefined) throw new Error(missing);
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], {
    stdio: ["ignore", "ignore", "pipe"],
    // moto loads thousands of public AMIs into every region it touches, most of an EC2 test's CPU.
    env: { ...process.env, MOTO_EC2_LOAD_DEFAULT_AMIS: "false" },
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = `${stderr}${chunk.toString("utf8")}`.slice(-2000);
  });
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  await until(async () => {
    if (exited) throw new Error(`moto_server stopped before it answered: ${stderr}`);
    return answers(endpoint);
  }, `moto_server to answer on ${endpoint}`);
  return {
    endpoint,
    env: {
      ...CREDENTIALS,
      AWS_REGION: "us-east-1",
      AWS_ENDPOINT_URL: endpoint,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    },
    async stop() {
      if (exited) return;
      const gone = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await gone;
    },
  };
}

/**
 * Start moto for this test file and point `process.env` at it (every service through
 * `AWS_ENDPOINT_URL`); after the file, the server stops and the variables are put back.
 */
export function useMotoServer(): { readonly current: MotoServer } {
  const holder: { current: MotoServer } = { current: undefined as unknown as MotoServer };
  const saved: Record<string, string | undefined> = {};
  beforeAll(async () => {
    holder.current = await startMotoServer();
    for (const [k, v] of Object.entries(holder.current.env)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
  }, 120_000);
  afterAll(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await holder.current?.stop();
  });
  return holder;
}
