/**
 * `npm run bench:cluster` (issue 18): three real `opsdojo serve` nodes on one throwaway
 * PostgreSQL cluster, BENCH_RUNS (default 1 000) runs of a small file operation queued by
 * BENCH_CLIENTS (default 200) concurrent API clients, and one node (picked by BENCH_SEED) killed
 * with SIGKILL once half the runs are queued.
 *
 * Clients spread their POST /api/runs over the nodes; a request whose connection dies (the
 * killed node's in-flight ones) or that finds its key still claimed (409) is sent again with the
 * same Idempotency-Key to a surviving node. At the end it checks, from the store and the files:
 * one run per key (no retry made a second), every run executed exactly once (one
 * `step.succeeded` in its journal, its file written with its own content) or held, and reports
 * p50/p99 latency of the POSTs (first attempt to final answer) and runs/s (first POST to last
 * run at rest).
 *
 * Options (env): BENCH_RUNS, BENCH_CLIENTS, BENCH_SEED, BENCH_POLICY (the operation's
 * on_node_loss, default resume). Each node executes 4 runs at once (the executor's default).
 * Not part of `npm test`.
 */
import { mkdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { seededRandom } from "../src/core/index.ts";
import { buildCliBundle } from "../test/support/cli-bundle.ts";
import { type Started, startServe } from "../test/support/opsdojo-process.ts";
import { startPostgres } from "../test/support/postgres.ts";

const RUNS = Number(process.env.BENCH_RUNS ?? 1000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 200);
const SEED = Number(process.env.BENCH_SEED ?? 18);
/** The operation's on_node_loss: `resume` (default) runs every run to the end, `hold` leaves the dead node's runs to a person. */
const POLICY = process.env.BENCH_POLICY ?? "resume";
/** The longest the bench waits for anything (a hang, not a slow machine, should reach it). */
const PATIENCE_MS = 10 * 60_000;

const ARGS = ["--services", "operations", "--rate-limit", "1000000/60s", "--poll", "100ms", "--quiet"];

interface Sent {
  readonly n: number;
  readonly id: string;
  readonly ms: number;
  readonly attempts: number;
  /** The connection died under an attempt (the killed node's in-flight request). */
  readonly cut: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

function isAlive(node: Started): boolean {
  return node.child.exitCode === null && node.child.signalCode === null;
}

async function main(): Promise<void> {
  await buildCliBundle();
  const postgres = await startPostgres({ database: "bench_cluster" });
  const work = join(tmpdir(), `opsdojo-bench-cluster-${process.pid}`);
  const out = join(work, "out");
  await mkdir(out, { recursive: true });
  for (const i of [0, 1, 2]) await mkdir(join(work, `home-${i}`));
  const env = { OPSDOJO_DATABASE_URL: postgres.url };
  const nodes: Started[] = [];
  const db = new pg.Client({ connectionString: postgres.url });
  try {
    nodes.push(await startServe(join(work, "home-0"), ARGS, env));
    const token = nodes[0]?.info.token ?? "";
    nodes.push(...(await Promise.all([1, 2].map((i) => startServe(join(work, `home-${i}`), ARGS, env)))));
    await db.connect();

    const post = (node: Started, path: string, body: unknown, key: string) =>
      fetch(`${node.info.url}${path}`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          "idempotency-key": key,
        },
        body: JSON.stringify(body),
      });
    const registered = await post(
      nodes[0] as Started,
      "/api/operations",
      {
        source: `opsdojo: operation/v1
name: bench-cluster
on_node_loss: ${POLICY}
params:
  n: { type: string, required: true }
steps:
  - name: write
    uses: file.write
    with: { path: "${out}/\${params.n}.txt", content: "\${params.n}\\n" }
`,
      },
      "register",
    );
    if (registered.status >= 300) throw new Error(`could not register: ${await registered.text()}`);

    const random = seededRandom(SEED);
    const victim = nodes[Math.floor(random() * nodes.length)] as Started;
    let queued = 0;
    let killedAt: number | undefined;
    let killedIso = "";
    const kill = () => {
      if (killedAt !== undefined) return;
      killedAt = performance.now();
      killedIso = new Date().toISOString();
      victim.child.kill("SIGKILL");
    };

    /** One logical request: sent until a node answers 201, the same key every time. */
    const queue = async (client: number, n: number): Promise<Sent> => {
      const key = `bench-${n}`;
      const started = performance.now();
      let cut = false;
      for (let attempt = 1; ; attempt++) {
        if (performance.now() - started > PATIENCE_MS) throw new Error(`request ${n} never answered`);
        const live = nodes.filter(isAlive);
        const node = live[(client + attempt) % live.length] as Started;
        let response: Response;
        try {
          response = await post(
            node,
            "/api/runs",
            { operation: "bench-cluster", params: { n: String(n) } },
            key,
          );
        } catch {
          cut = true;
          continue;
        }
        if (response.status === 201 || response.status === 200) {
          const body = (await response.json()) as { id: string };
          if (++queued === Math.floor(RUNS / 2)) kill();
          return { n, id: body.id, ms: performance.now() - started, attempts: attempt, cut };
        }
        const text = await response.text();
        // The key is still claimed by a request the dead node never finished (freed after a
        // minute), or the node is going away: ask again shortly.
        if (response.status === 409 || response.status === 503) {
          await sleep(500);
          continue;
        }
        throw new Error(`request ${n}: ${response.status} ${text.slice(0, 300)}`);
      }
    };

    const t0 = performance.now();
    const t0Iso = new Date().toISOString();
    const sent: Sent[] = [];
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, client) => {
        for (let n = client; n < RUNS; n += CLIENTS) sent.push(await queue(client, n));
      }),
    );
    const queuedMs = performance.now() - t0;

    // Every run comes to rest: succeeded, or held for a person.
    const deadline = Date.now() + PATIENCE_MS;
    let statuses: Record<string, number> = {};
    for (;;) {
      const rows = await db.query<{ status: string; count: string }>(
        "SELECT status, count(*) AS count FROM runs GROUP BY status",
      );
      statuses = Object.fromEntries(rows.rows.map((r) => [r.status, Number(r.count)]));
      const moving = (statuses.queued ?? 0) + (statuses.running ?? 0) + (statuses.rolling_back ?? 0);
      if (moving === 0) break;
      if (Date.now() > deadline) throw new Error(`runs still moving: ${JSON.stringify(statuses)}`);
      await sleep(200);
    }
    const settledMs = performance.now() - t0;

    // From the store: one run per key, each with its journal's one success (or held).
    const ids = new Set(sent.map((s) => s.id));
    const total = (await db.query<{ c: string }>("SELECT count(*) AS c FROM runs")).rows[0]?.c;
    const successes = await db.query<{ run_id: string; c: string }>(
      "SELECT run_id, count(*) AS c FROM run_events WHERE type = 'step.succeeded' GROUP BY run_id",
    );
    const succeededOnce = successes.rows.filter((r) => Number(r.c) === 1).length;
    const succeededTwice = successes.rows.filter((r) => Number(r.c) > 1).length;
    // Each run at rest: succeeded with one success of its step, or held (its step at most once).
    const wrong = (
      await db.query<{ c: string }>(
        `SELECT count(*) AS c FROM runs r
           LEFT JOIN (SELECT run_id, count(*) AS n FROM run_events WHERE type = 'step.succeeded' GROUP BY run_id) s
             ON s.run_id = r.id
          WHERE NOT ((r.status = 'succeeded' AND s.n = 1)
                  OR (r.status = 'interrupted' AND coalesce(s.n, 0) <= 1
                      AND EXISTS (SELECT 1 FROM run_events h WHERE h.run_id = r.id AND h.type = 'run.held')))`,
      )
    ).rows[0]?.c;
    const takenOver = (
      await db.query<{ c: string }>("SELECT count(*) AS c FROM run_events WHERE type = 'run.taken_over'")
    ).rows[0]?.c;
    const held = (
      await db.query<{ c: string }>("SELECT count(*) AS c FROM run_events WHERE type = 'run.held'")
    ).rows[0]?.c;
    // The executing rate before the kill, free of the minute the dead node's keys stay claimed.
    const finishedBeforeKill = Number(
      (
        await db.query<{ c: string }>(
          "SELECT count(*) AS c FROM runs WHERE finished_at IS NOT NULL AND finished_at <= $1",
          [killedIso || new Date().toISOString()],
        )
      ).rows[0]?.c,
    );
    // When 90 % of the runs had finished: the rate without the tail of retried requests.
    const finished = (
      await db.query<{ finished_at: string }>(
        "SELECT finished_at FROM runs WHERE finished_at IS NOT NULL ORDER BY finished_at",
      )
    ).rows.map((r) => Date.parse(r.finished_at));
    const ninetieth = finished[Math.floor(0.9 * finished.length) - 1] ?? Number.NaN;
    const toNinetiethS = (ninetieth - Date.parse(t0Iso)) / 1000;
    // From the files: each run's own content, once.
    let filesRight = 0;
    for (let n = 0; n < RUNS; n++) {
      const text = await readFile(join(out, `${n}.txt`), "utf8").catch(() => "");
      if (text === `${n}\n`) filesRight++;
    }

    const latencies = sent.map((s) => s.ms).sort((a, b) => a - b);
    const clean = sent
      .filter((s) => s.attempts === 1)
      .map((s) => s.ms)
      .sort((a, b) => a - b);
    const report = {
      nodes: 3,
      runs: RUNS,
      clients: CLIENTS,
      seed: SEED,
      on_node_loss: POLICY,
      killed_node_after_queued: Math.floor(RUNS / 2),
      killed_at_s: killedAt === undefined ? null : Number(((killedAt - t0) / 1000).toFixed(2)),
      requests_cut_by_the_kill: sent.filter((s) => s.cut).length,
      requests_retried: sent.filter((s) => s.attempts > 1).length,
      distinct_runs_answered: ids.size,
      runs_in_store: Number(total),
      statuses,
      runs_succeeded_exactly_once: succeededOnce,
      runs_with_a_second_success: succeededTwice,
      runs_neither_succeeded_once_nor_held: Number(wrong),
      runs_taken_over: Number(takenOver),
      runs_held: Number(held),
      files_written_right: filesRight,
      post_p50_ms: Math.round(quantile(latencies, 0.5)),
      post_p99_ms: Math.round(quantile(latencies, 0.99)),
      post_max_ms: Math.round(latencies.at(-1) ?? Number.NaN),
      post_p99_ms_first_attempt_answered: Math.round(quantile(clean, 0.99)),
      queued_per_s: Math.round(RUNS / (queuedMs / 1000)),
      runs_per_s: Number((RUNS / (settledMs / 1000)).toFixed(1)),
      runs_finished_per_s_before_the_kill:
        killedAt === undefined ? null : Number((finishedBeforeKill / ((killedAt - t0) / 1000)).toFixed(1)),
      seconds_until_90pct_finished: Number(toNinetiethS.toFixed(1)),
      runs_per_s_until_90pct_finished: Number(((0.9 * RUNS) / toNinetiethS).toFixed(1)),
      wall_s: Number((settledMs / 1000).toFixed(1)),
    };
    console.log(JSON.stringify(report, null, 2));
    const ok =
      ids.size === RUNS &&
      Number(total) === RUNS &&
      succeededTwice === 0 &&
      Number(wrong) === 0 &&
      filesRight >= (statuses.succeeded ?? 0);
    console.log(ok ? "every run executed exactly once (or held)" : "NOT every run executed exactly once");
    if (!ok) process.exitCode = 1;
  } finally {
    await db.end().catch(() => {});
    await Promise.all(nodes.filter(isAlive).map((n) => n.stop()));
    await postgres.stop();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
