import { type ChildProcess, spawn } from "node:child_process";
import { afterAll, beforeAll } from "vitest";
import { freePort } from "./ports.ts";
import { until } from "./until.ts";

/** moto checks no signatures; any key pair will do. */
const CREDENTIALS = { AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing" } as const;

const INSTALL_HINT = "moto_server is not on PATH: install it with pip install 'moto[server]' (moto 5)";

export interface MotoServer {
  readonly endpoint: string;
  /** The standard AWS variables that point the SDK (and the opsdojo CLI) at this server. */
  readonly env: Readonly<Record<string, string>>;
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

/**
 * One `moto_server` on 127.0.0.1 at a free port, waited for until it answers. Without moto this
 * throws (the AWS tests fail, never skip) with how to install it.
 *
 * @example
 * const moto = await startMoto(); … await moto.stop();
 */
export async function startMoto(options: { command?: string } = {}): Promise<MotoServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    options.command ?? "moto_server",
    ["-H", "127.0.0.1", "-p", String(port)],
    {
      stdio: ["ignore", "ignore", "pipe"],
      // moto loads thousands of public AMIs into every region it touches, which costs most of
      // the CPU of an EC2 test; the tests make or look up the images they use.
      env: { ...process.env, MOTO_EC2_LOAD_DEFAULT_AMIS: "false" },
    },
  );
  let exited: string | undefined;
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    if (stderr.length < 4_000) stderr += chunk.toString();
  });
  child.once("error", (error: NodeJS.ErrnoException) => {
    exited = error.code === "ENOENT" ? INSTALL_HINT : `moto_server did not start: ${error.message}`;
  });
  child.once("exit", (code, signal) => {
    exited ??= `moto_server exited (${code ?? signal}) before it answered: ${stderr.slice(-500)}`;
  });
  const endpoint = `http://127.0.0.1:${port}`;
  await until(async () => {
    if (exited !== undefined) throw new Error(exited);
    return answers(endpoint);
  }, `moto_server to answer on ${endpoint}`);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    await gone;
  };
  return {
    endpoint,
    env: {
      ...CREDENTIALS,
      AWS_REGION: "us-east-1",
      // Every service moto plays (EC2, ELBv2, Auto Scaling, IAM, Route 53…) at this one server.
      AWS_ENDPOINT_URL: endpoint,
      AWS_ENDPOINT_URL_EC2: endpoint,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    },
    stop,
  };
}

/**
 * A moto_server for this test file with `process.env` pointed at it; after the file, the
 * variables are put back and the server stopped. The getter gives the running server.
 */
export function useMoto(): () => MotoServer {
  let moto: MotoServer | undefined;
  let saved: Record<string, string | undefined> = {};
  beforeAll(async () => {
    moto = await startMoto();
    saved = Object.fromEntries(Object.keys(moto.env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, moto.env);
  });
  afterAll(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await moto?.stop();
  });
  return () => {
    if (moto === undefined) throw new Error("moto_server is not running (use in a test, not at load)");
    return moto;
  };
}
