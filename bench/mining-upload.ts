/**
 * `npm run bench:mining-upload`: what a big mining request costs the server (issue 11).
 *
 * A real `opsdojo serve` (from the sources, one mining worker) in a child process:
 * 1. a streamed `text/plain` upload of BENCH_UPLOAD_MB (default 100) MB of generated log lines
 *    to `POST /api/mining/jobs/{id}/lines`, made as it is sent (the client holds one chunk);
 * 2. a discovery from an event log with 400 activities (about 25 s of the inductive miner on a
 *    quiet machine), ended by a 10 s job deadline.
 * Meanwhile /health is asked every 100 ms. Printed: the server's peak RSS (VmHWM of
 * /proc/PID/status: the worker thread is in the same process), the upload's MB/s, and /health
 * latency (p50, p99, max) during each request.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { heavyCsvLog } from "../test/support/heavy-logs.ts";

const MB = Number(process.env.BENCH_UPLOAD_MB ?? 100);
const ROOT = resolve(import.meta.dirname, "..");
const home = mkdtempSync(join(tmpdir(), "opsdojo-bench-upload-"));

function start(): Promise<{ child: ChildProcess; url: string; token: string }> {
  const child = spawn(
    process.execPath,
    [join(ROOT, "bin/opsdojo.js"), "serve", "--port", "0", "--json", "--services", "mining"],
    {
      env: {
        ...process.env,
        OPSDOJO_HOME: home,
        OPSDOJO_FROM_SOURCE: "1",
        OPSDOJO_MINING_WORKERS: "1",
        OPSDOJO_MINING_JOB_DEADLINE_MS: "10000",
      },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  return new Promise((ok, fail) => {
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      try {
        const info = JSON.parse(out) as { url: string; token: string };
        ok({ child, url: info.url, token: info.token });
      } catch {
        // not all of it yet
      }
    });
    child.once("exit", (code) => fail(new Error(`serve exited with ${code}`)));
  });
}

/** kB of a /proc/PID/status field (VmRSS now, VmHWM the peak). */
function procKb(pid: number, field: "VmRSS" | "VmHWM"): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(m?.[1] ?? 0);
}

/** Ask /health every 100 ms until `stop()`; the latencies in ms. */
function probeHealth(url: string): { stop: () => Promise<number[]> } {
  const latencies: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const t = performance.now();
      const res = await fetch(`${url}/health`);
      await res.text();
      latencies.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return latencies;
    },
  };
}

function summary(latencies: number[]): string {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return `/health ${sorted.length} probes: p50 ${at(0.5).toFixed(1)} ms, p99 ${at(0.99).toFixed(1)} ms, max ${(sorted.at(-1) ?? 0).toFixed(1)} ms`;
}

const TEMPLATES = [
  (i: number) => `request ${i} served in ${i % 97} ms from node-${i % 7}`,
  (i: number) => `user u${i % 1000} logged in from 10.0.${i % 250}.${i % 13}`,
  (i: number) => `cache miss for key k${(i * 7919) % 100000}, loading from store`,
  (i: number) => `payment ${i} authorised amount ${(i % 5000) / 100} EUR`,
  (i: number) => `job ${i % 300} finished with status ${i % 11 === 0 ? "failed" : "ok"} after ${i % 60} s`,
];

const server = await start();
const auth = { authorization: `Bearer ${server.token}` };
try {
  const baselineKb = procKb(server.child.pid as number, "VmRSS");
  const created = await fetch(`${server.url}/api/mining/jobs`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify({ name: "bench", log_format: "<Case> <Content>", case_field: "Case" }),
  });
  const job = (await created.json()) as { id: string };

  // 1. The upload.
  const target = MB * 1024 * 1024;
  let sent = 0;
  let n = 0;
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= target) return controller.close();
      let text = "";
      while (text.length < 256 * 1024) {
        const i = n++;
        text += `case-${i % 20000} ${(TEMPLATES[i % TEMPLATES.length] as (i: number) => string)(i)}\n`;
      }
      const bytes = encoder.encode(text);
      sent += bytes.length;
      controller.enqueue(bytes);
    },
  });
  // One /health first: the client's first request (its connection, undici warming up) is slow
  // on the client's side, whatever the server does; it is not what is measured.
  await (await fetch(`${server.url}/health`)).text();
  const health = probeHealth(server.url);
  const t0 = performance.now();
  const res = await fetch(`${server.url}/api/mining/jobs/${job.id}/lines`, {
    method: "POST",
    headers: { ...auth, "content-type": "text/plain" },
    body,
    duplex: "half",
  } as RequestInit);
  if (res.status !== 200) throw new Error(`the upload answered ${res.status}: ${await res.text()}`);
  const result = (await res.json()) as { lines: number; templates: number };
  const seconds = (performance.now() - t0) / 1000;
  const uploadLatencies = await health.stop();
  const peakKb = procKb(server.child.pid as number, "VmHWM");
  console.log(
    `upload: ${(sent / 1024 / 1024).toFixed(0)} MB, ${result.lines.toLocaleString("en-US")} lines, ${result.templates} templates in ${seconds.toFixed(1)} s (${(sent / 1024 / 1024 / seconds).toFixed(1)} MB/s), status ${res.status}`,
  );
  console.log(
    `server RSS: ${(baselineKb / 1024).toFixed(0)} MB before, peak ${(peakKb / 1024).toFixed(0)} MB (bound: 400 MB)`,
  );
  console.log(`during the upload: ${summary(uploadLatencies)}`);
  if (process.env.BENCH_VERBOSE) console.log(uploadLatencies.map((l) => l.toFixed(0)).join(" "));

  // 2. The discovery, ended by the deadline.
  const text = heavyCsvLog({ activities: 400, cases: 2000, length: 8 });
  const discovery = probeHealth(server.url);
  const t1 = performance.now();
  const model = await fetch(`${server.url}/api/mining/models`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify({ event_log: { format: "csv", text } }),
  });
  const problem = (await model.json()) as { limit?: string };
  const discoveryLatencies = await discovery.stop();
  console.log(
    `discovery (400 activities): ${model.status} ${problem.limit ?? ""} after ${((performance.now() - t1) / 1000).toFixed(1)} s; during it: ${summary(discoveryLatencies)}`,
  );
} finally {
  server.child.kill("SIGTERM");
  await new Promise((r) => server.child.once("exit", r));
  rmSync(home, { recursive: true, force: true });
}
