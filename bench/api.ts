/**
 * `npm run bench:api`: GET /api/services/{id} through the full API core, on SQLite and on
 * PostgreSQL, against a bare Fastify route returning the same JSON — all in this process, with
 * autocannon, in one run.
 *
 * The three are measured in alternating rounds (bare, SQLite, PostgreSQL, bare, …) and the median
 * of each is reported, so that a burst of other load on the machine hits all alike. Each run
 * registers its own entry (a new name) and removes it afterwards, so it can run again and again
 * on one database.
 *
 * Options (env): BENCH_SECONDS per round (default 5), BENCH_ROUNDS (default 3),
 * BENCH_CONNECTIONS (default 10); OPSDOJO_DATABASE_URL: the PostgreSQL to bench on (default: a
 * throwaway cluster started for the run; BENCH_POSTGRES=0 for SQLite only).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import Fastify from "fastify";
import type { ApiApp } from "../src/api/index.ts";
import { Directory, type Service } from "../src/directory/index.ts";
import { assembleServer } from "../src/server/index.ts";
import { openStore, type Store } from "../src/store/index.ts";
import { type PostgresCluster, startPostgres } from "../test/support/postgres.ts";

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

interface Target {
  readonly name: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly close: () => Promise<void>;
}

/** A node on `store` serving one entry of ordinary size; its token and entry go when it closes. */
async function coreTarget(name: string, store: Store): Promise<Target & { entry: Service }> {
  const { app } = await assembleServer({ store, rateLimit: { quota: 1_000_000_000, windowSeconds: 60 } });
  const token = await app.core.tokens.create({ name: "bench", scopes: ["read"] });
  const directory = new Directory(app.core);
  const entry = await directory.create({
    // A new name each run: names are unique among live entries, and a run may be cut short.
    name: `bench-service-${randomBytes(4).toString("hex")}`,
    owner: "platform",
    description: "An entry of ordinary size for the benchmark.",
    lifecycle: "production",
    versions: [{ version: "1.2.0", status: "active", spec_url: "http://127.0.0.1:9/openapi.json" }],
    instances: [{ base_url: "http://127.0.0.1:9" }, { base_url: "http://127.0.0.1:10" }],
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  await waitUntilListening(app);
  const port = (app.server.address() as { port: number }).port;
  return {
    name,
    entry,
    url: `http://127.0.0.1:${port}/api/services/${entry.id}`,
    headers: { authorization: `Bearer ${token.token}` },
    close: async () => {
      await directory.remove(entry.id);
      await app.core.tokens.revoke(token.id);
      await app.close();
      directory.close();
    },
  };
}

/** Measure with the node's caches live (PostgreSQL: once its LISTEN connection is up). */
async function waitUntilListening(app: ApiApp): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!app.core.changes.check()) {
    if (Date.now() > deadline) throw new Error("the change feed did not start listening within 30 s");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const home = mkdtempSync(join(tmpdir(), "opsdojo-bench-"));
const sqliteStore = await openStore({ home });
let cluster: PostgresCluster | undefined;
let pgStore: Store | undefined;
if (process.env.BENCH_POSTGRES !== "0") {
  let url = process.env.OPSDOJO_DATABASE_URL;
  if (!url) {
    cluster = await startPostgres({ database: "bench" });
    url = cluster.url;
  }
  pgStore = await openStore({ databaseUrl: url });
}

const sqlite = await coreTarget("opsdojo core, SQLite", sqliteStore);
const postgres = pgStore ? await coreTarget("opsdojo core, PostgreSQL", pgStore) : undefined;
const bare = Fastify();
bare.get("/api/services/:id", async () => sqlite.entry);
await bare.listen({ host: "127.0.0.1", port: 0 });
const barePort = (bare.server.address() as { port: number }).port;
const targets: Target[] = [
  {
    name: "bare fastify",
    url: `http://127.0.0.1:${barePort}/api/services/${sqlite.entry.id}`,
    headers: {},
    close: () => bare.close(),
  },
  sqlite,
  ...(postgres ? [postgres] : []),
];

const runs = new Map<string, Result[]>(targets.map((t) => [t.name, []]));
for (let round = 0; round < rounds; round++) {
  for (const t of targets) runs.get(t.name)?.push(await load(t.name, t.url, t.headers));
}
const median = (list: readonly Result[]): Result => {
  const sorted = [...list].sort((x, y) => x.requests_per_s - y.requests_per_s);
  return sorted[Math.floor(sorted.length / 2)] as Result;
};
const results = targets.map((t) => median(runs.get(t.name) ?? []));
for (const t of targets) await t.close();
await sqliteStore.close();
await pgStore?.close();
await cluster?.stop();
rmSync(home, { recursive: true, force: true });

const [b, ...cores] = results as [Result, ...Result[]];
const bareRounds = runs.get(b.name) ?? [];
const ratios = cores.map((c) => {
  // Also each round's own ratio (the core against the bare round just before it): on a machine
  // whose load moves, rounds measured side by side compare better than medians taken apart.
  const perRound = (runs.get(c.name) ?? []).map(
    (r, i) => Math.round((r.requests_per_s / (bareRounds[i]?.requests_per_s ?? Number.NaN)) * 1000) / 1000,
  );
  return {
    name: c.name,
    ratio: Math.round((c.requests_per_s / b.requests_per_s) * 1000) / 1000,
    per_round: perRound,
  };
});
console.table(results);
console.log(JSON.stringify({ seconds, rounds, connections, ratios, results }));
const goals: Record<string, number> = { "opsdojo core, SQLite": 0.75, "opsdojo core, PostgreSQL": 0.6 };
for (const r of ratios) {
  console.log(
    `${r.name} keeps ${(r.ratio * 100).toFixed(1)} % of bare Fastify's requests/s (goal ≥ ${(goals[r.name] ?? 0) * 100} %); rounds: ${r.per_round.map((x) => `${(x * 100).toFixed(0)} %`).join(", ")}`,
  );
}
if ([...runs.values()].flat().some((r) => r.non_2xx > 0 || r.errors > 0)) {
  console.error("a target answered errors during the run; the numbers are not comparable");
  process.exitCode = 1;
}
