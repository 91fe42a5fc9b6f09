/**
 * `npm run bench:api`: GET /api/services/{id} through the full API core against a bare Fastify
 * route returning the same JSON, both in this process, one after the other, with autocannon.
 *
 * The two are measured in alternating rounds and the median of each is reported, so that a
 * burst of other load on the machine hits both alike.
 *
 * Options (env): BENCH_SECONDS per round (default 5), BENCH_ROUNDS (default 3),
 * BENCH_CONNECTIONS (default 10),
 * OPSDOJO_DATABASE_URL to bench on PostgreSQL instead of a temp SQLite store.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import Fastify from "fastify";
import { Directory } from "../src/directory/index.ts";
import { assembleServer } from "../src/server/index.ts";
import { openStore } from "../src/store/index.ts";

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);

interface Result {
  name: string;
  requests_per_s: number;
  p50_ms: number;
  p99_ms: number;
  errors: number;
  non_2xx: number;
}

async function load(name: string, url: string, headers: Record<string, string>): Promise<Result> {
  // Warm up the JIT and the caches before measuring.
  await autocannon({ url, headers, connections, duration: 2 });
  const r = await autocannon({ url, headers, connections, duration: seconds });
  return {
    name,
    requests_per_s: Math.round(r.requests.average),
    p50_ms: r.latency.p50,
    p99_ms: r.latency.p99,
    errors: r.errors,
    non_2xx: r.non2xx,
  };
}

const home = mkdtempSync(join(tmpdir(), "opsdojo-bench-"));
const store = await openStore({ home, databaseUrl: process.env.OPSDOJO_DATABASE_URL });
const { app } = await assembleServer({ store, rateLimit: { quota: 1_000_000_000, windowSeconds: 60 } });
const token = await app.core.tokens.create({ name: "bench", scopes: ["read"] });
const entry = await new Directory(app.core).create({
  name: "bench-service",
  owner: "platform",
  description: "An entry of ordinary size for the benchmark.",
  lifecycle: "production",
  versions: [{ version: "1.2.0", status: "active", spec_url: "http://127.0.0.1:9/openapi.json" }],
  instances: [{ base_url: "http://127.0.0.1:9" }, { base_url: "http://127.0.0.1:10" }],
});
await app.listen({ host: "127.0.0.1", port: 0 });
const corePort = (app.server.address() as { port: number }).port;

const bare = Fastify();
bare.get("/api/services/:id", async () => entry);
await bare.listen({ host: "127.0.0.1", port: 0 });
const barePort = (bare.server.address() as { port: number }).port;

const path = `/api/services/${entry.id}`;
const runs: { bare: Result[]; core: Result[] } = { bare: [], core: [] };
for (let round = 0; round < rounds; round++) {
  runs.bare.push(await load("bare fastify", `http://127.0.0.1:${barePort}${path}`, {}));
  runs.core.push(
    await load("opsdojo core", `http://127.0.0.1:${corePort}${path}`, {
      authorization: `Bearer ${token.token}`,
    }),
  );
}
const median = (list: Result[]): Result => {
  const sorted = [...list].sort((x, y) => x.requests_per_s - y.requests_per_s);
  return sorted[Math.floor(sorted.length / 2)] as Result;
};
const results: Result[] = [median(runs.bare), median(runs.core)];
await bare.close();
await app.close();
await store.close();
rmSync(home, { recursive: true, force: true });

const [b, c] = results as [Result, Result];
console.table(results);
const ratio = c.requests_per_s / b.requests_per_s;
console.log(
  JSON.stringify({
    store: store.dialect,
    seconds,
    rounds,
    connections,
    ratio_requests_per_s: Math.round(ratio * 1000) / 1000,
    results,
  }),
);
console.log(`opsdojo core keeps ${(ratio * 100).toFixed(1)} % of bare Fastify's requests/s (target ≥ 60 %)`);
if (runs.core.some((r) => r.non_2xx > 0 || r.errors > 0)) {
  console.error("the core answered errors during the run; the numbers are not comparable");
  process.exitCode = 1;
}
