/**
 * No mining request blocks the server (issue 11): a real `opsdojo serve` process answers
 * /health while its mining worker discovers from a big event log or mines a big streamed upload,
 * and SIGTERM ends it although a mining job is running. Run from the sources, and from a bundle
 * made as `npm install` makes it (the worker then loads dist/mining-worker.mjs).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { heavyCsvLog } from "../support/heavy-logs.ts";
import { cleanEnv } from "../support/opsdojo-process.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON bodies, asserted field by field
type Json = any;

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BIN = join(ROOT, "bin/opsdojo.js");
/**
 * The issue asks for /health in < 100 ms while the heaviest mining request runs; bench
 * mining-upload measures that. Here, on a loaded shared 2-core machine, the bound is generous
 * yet still far below what a mining job on the event loop cost (22 s for this discovery): what
 * the test proves is that /health answered, quickly, while the job was still running.
 */
const HEALTH_BOUND_MS = 1000;
const SMALL_CSV =
  "case,activity,timestamp\nc1,a,2026-01-01T00:00:00Z\nc1,b,2026-01-01T00:00:01Z\nc2,a,2026-01-01T00:00:02Z\n";

interface Server {
  readonly url: string;
  readonly token: string;
  readonly child: ChildProcess;
  stop(): Promise<number | null>;
}

const servers: Server[] = [];
let bundleDir: string | undefined;

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  if (bundleDir) await rm(bundleDir, { recursive: true, force: true });
  await removeTempDirs();
});

/** `serve --json` through `script` (bin/opsdojo.js or a bundle's launcher), resolved once it listens. */
async function serve(script: string, env: Record<string, string>): Promise<Server> {
  const home = await tempDir();
  const child = spawn(process.execPath, [script, "serve", "--port", "0", "--json", "--services", "mining"], {
    env: cleanEnv(home, env),
  });
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  const server = await new Promise<Server>((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      try {
        const info = JSON.parse(stdout) as { url: string; token: string };
        resolve({
          url: info.url,
          token: info.token,
          child,
          stop: async () => {
            child.kill("SIGTERM");
            return exited;
          },
        });
      } catch {
        // not all of the JSON yet
      }
    });
    void exited.then((code) => reject(new Error(`serve exited with ${code} before it listened: ${stderr}`)));
  });
  servers.push(server);
  return server;
}

async function api(server: Server, method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${server.token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text ? JSON.parse(text) : null) as Json,
  };
}

/** The slowest of a few /health requests, one after another. */
async function slowestHealth(server: Server, times = 5): Promise<number> {
  let slowest = 0;
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    const res = await fetch(`${server.url}/health`);
    await res.text();
    expect(res.status).toBe(200);
    slowest = Math.max(slowest, performance.now() - started);
  }
  return slowest;
}

/** A request whose end is observed without waiting for it. */
function watch<T>(promise: Promise<T>): { done: () => boolean; result: Promise<T | Error> } {
  let settled = false;
  const result = promise.then(
    (v) => {
      settled = true;
      return v;
    },
    (e: Error) => {
      settled = true;
      return e;
    },
  );
  return { done: () => settled, result };
}

/** Poll (bounded) until `condition` holds. */
async function until(condition: () => Promise<boolean> | boolean): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("condition not met within the bound");
}

describe("mining off the event loop (from the sources)", () => {
  it("answers /health while a big streamed upload is mined", async () => {
    const server = await serve(BIN, { OPSDOJO_FROM_SOURCE: "1", OPSDOJO_MINING_WORKERS: "1" });
    const job = await api(server, "POST", "/api/mining/jobs", {
      name: "big",
      log_format: "<Case> <Content>",
      case_field: "Case",
    });
    expect(job.status).toBe(201);
    // 12 MB of lines (the upload was 10 MB) in 24 chunks, made as they are read: nothing
    // holds the whole body.
    const chunks = 24;
    let sent = 0;
    const line = (i: number) => `case-${i % 5000} request ${i} served in ${i % 97} ms from node-${i % 7}\n`;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === chunks) return controller.close();
        let text = "";
        for (let i = 0; i < 10_000; i++) text += line(sent * 10_000 + i);
        controller.enqueue(new TextEncoder().encode(text));
        sent++;
      },
    });
    const upload = watch(
      fetch(`${server.url}/api/mining/jobs/${job.body.id}/lines`, {
        method: "POST",
        headers: { authorization: `Bearer ${server.token}`, "content-type": "text/plain" },
        body,
        duplex: "half",
      } as RequestInit),
    );
    // Confirmed running: part of the body is in, and lines are committed already.
    await until(async () => (await api(server, "GET", `/api/mining/jobs/${job.body.id}`)).body.lines > 0);
    const slowest = await slowestHealth(server);
    const stillRunning = !upload.done();
    expect(stillRunning).toBe(true);
    expect(slowest).toBeLessThan(HEALTH_BOUND_MS);
    const res = (await upload.result) as Response;
    expect(res.status).toBe(200);
    expect((await res.json()).lines).toBe(chunks * 10_000);
  }, 300_000);

  it("answers /health while a discovery from 400 activities runs, and SIGTERM ends the server although it still runs", async () => {
    const server = await serve(BIN, {
      OPSDOJO_FROM_SOURCE: "1",
      OPSDOJO_MINING_WORKERS: "1",
      OPSDOJO_MINING_QUEUE: "0",
    });
    const text = heavyCsvLog({ activities: 400, cases: 2000, length: 8 });
    const discover = () =>
      watch(api(server, "POST", "/api/mining/models", { event_log: { format: "csv", text } }));
    let heavy = discover();
    // Confirmed running: the one worker is taken, so a small job is refused with 503. (A probe
    // that reached the pool first makes the discovery the refused one: then it is sent again.)
    await until(async () => {
      const probe = await api(server, "POST", "/api/mining/models?validate_only=true", {
        event_log: { format: "csv", text: SMALL_CSV },
      });
      if (heavy.done()) {
        const ended = (await heavy.result) as Json;
        if (ended?.body?.code !== "mining_workers_busy")
          throw new Error(`the discovery ended early: ${JSON.stringify(ended)}`);
        heavy = discover();
        return false;
      }
      return probe.status === 503 && probe.body.code === "mining_workers_busy";
    });
    const slowest = await slowestHealth(server);
    expect(heavy.done()).toBe(false);
    expect(slowest).toBeLessThan(HEALTH_BOUND_MS);
    // Left alone the discovery would answer 201 after tens of seconds; SIGTERM ends it instead.
    expect(await server.stop()).toBe(0);
    const ended = await heavy.result;
    if (!(ended instanceof Error)) {
      expect(ended.status).toBe(503);
      expect(ended.body.code).toBe("mining_workers_closed");
    }
  }, 300_000);
});

describe("mining off the event loop (from the bundle)", () => {
  it("loads the worker from dist/mining-worker.mjs beside the bundled CLI", async () => {
    // Built as scripts/build.mjs builds it, into a directory of its own under dist/ (inside the
    // checkout, so node_modules resolves; ignored by git) that no other test runs from.
    await mkdir(join(ROOT, "dist"), { recursive: true });
    bundleDir = await mkdtemp(join(ROOT, "dist", "test-"));
    await build({
      entryPoints: { cli: "src/cli/main.ts", "mining-worker": "src/mining/workers/worker.ts" },
      absWorkingDir: ROOT,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      packages: "external",
      // As scripts/build.mjs splits it: the pool's code then sits in a chunk under chunks/.
      splitting: true,
      chunkNames: "chunks/[name]-[hash]",
      outdir: bundleDir,
      outExtension: { ".js": ".mjs" },
      logLevel: "silent",
    });
    const launcher = join(bundleDir, "launch.mjs");
    await writeFile(
      launcher,
      'const { main } = await import("./cli.mjs");\nprocess.exitCode = await main(process.argv.slice(2));\n',
    );
    const server = await serve(launcher, { OPSDOJO_MINING_MAX_ACTIVITIES: "1" });
    const refused = await api(server, "POST", "/api/mining/models", {
      event_log: { format: "csv", text: SMALL_CSV },
    });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ limit: "maxActivities", configured: 1 });
    const checked = await api(server, "POST", "/api/mining/models?validate_only=true", {
      event_log: { format: "csv", text: "case,activity\nc1,a\nc2,a\n" },
    });
    expect(checked.status).toBe(200);
    expect(checked.body).toMatchObject({ cases: 2, events: 2, activities: ["a"] });
    expect(await server.stop()).toBe(0);
  });
});
