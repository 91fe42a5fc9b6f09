/**
 * `npm run bench:events`: how long an event written on node A takes to reach an SSE client of
 * node B — two nodes on one PostgreSQL, in this process (one clock for both ends).
 *
 * Node A appends to a run's journal (`Journal.note`, one transaction, as the engine does); B's
 * client follows `GET /api/runs/{id}/events` with `Accept: text/event-stream`. Latency runs from
 * just before A's write to B's client having parsed the event, one event at a time. B's fallback
 * poll is set to an hour, so every event arrives by notification (LISTEN/NOTIFY).
 *
 * Options (env): BENCH_EVENTS (default 1000); OPSDOJO_DATABASE_URL: the PostgreSQL to use
 * (default: a throwaway cluster started for the run).
 */
import { performance } from "node:perf_hooks";
import type { ApiApp } from "../src/api/index.ts";
import { systemClock } from "../src/core/index.ts";
import { Journal } from "../src/operations/index.ts";
import { assembleServer } from "../src/server/index.ts";
import { openStore, type Store } from "../src/store/index.ts";
import { type PostgresCluster, startPostgres } from "../test/support/postgres.ts";

const count = Number(process.env.BENCH_EVENTS ?? 1000);

let cluster: PostgresCluster | undefined;
let url = process.env.OPSDOJO_DATABASE_URL;
if (!url) {
  cluster = await startPostgres({ database: "bench_events" });
  url = cluster.url;
}

async function node(): Promise<{ store: Store; app: ApiApp; base: string }> {
  const store = await openStore({ databaseUrl: url });
  const { app } = await assembleServer({ store, services: ["operations"], eventPollMs: 3_600_000 });
  const base = await app.listen({ host: "127.0.0.1", port: 0 });
  const deadline = Date.now() + 30_000;
  while (!app.core.changes.check()) {
    if (Date.now() > deadline) throw new Error("the change feed did not start listening within 30 s");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { store, app, base };
}

const a = await node();
const b = await node();
const token = await a.app.core.tokens.create({ name: "bench-events", scopes: ["read"] });
const journal = new Journal(a.store, systemClock);
const runId = await journal.startRun({
  operationId: "op_bench",
  operationName: "bench-events",
  params: {},
  owner: "bench",
  leaseMs: 3_600_000,
});

const res = await fetch(`${b.base}/api/runs/${runId}/events`, {
  headers: { authorization: `Bearer ${token.token}`, accept: "text/event-stream" },
});
if (res.status !== 200 || !res.body) throw new Error(`node B answered ${res.status} to the stream`);
const reader = res.body.getReader();
const decoder = new TextDecoder();
const waiting = new Map<number, (receivedAt: number) => void>();
let buffer = "";
const reading = (async () => {
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf("\n\n");
    while (end >= 0) {
      const message = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const id = /^id: (\d+)$/m.exec(message);
      if (id) waiting.get(Number(id[1]))?.(performance.now());
      end = buffer.indexOf("\n\n");
    }
  }
})();

const latencies: number[] = [];
for (let i = 0; i < count; i++) {
  // Sequence numbers: 1 is run.started, so the i-th note is i + 2.
  const seq = i + 2;
  const received = new Promise<number>((resolve) => waiting.set(seq, resolve));
  const sentAt = performance.now();
  await journal.note(runId, "bench.tick", { i });
  latencies.push((await received) - sentAt);
  waiting.delete(seq);
}

await journal.setStatus(runId, "succeeded");
await reading;
await a.app.core.tokens.revoke(token.id);
await b.app.close();
await a.app.close();
await b.store.close();
await a.store.close();
await cluster?.stop();

const sorted = [...latencies].sort((x, y) => x - y);
const at = (q: number) =>
  Math.round((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0) * 10) / 10;
const summary = { events: count, p50_ms: at(0.5), p90_ms: at(0.9), p99_ms: at(0.99), max_ms: at(1) };
console.table([summary]);
console.log(JSON.stringify(summary));
console.log(`p99 of node A's write → node B's SSE client: ${summary.p99_ms} ms (goal ≤ 50 ms)`);
