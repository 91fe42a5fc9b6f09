/**
 * `npm run bench:journal`: the journal's cost per step — intent (with captured state) committed
 * before the action, outcome after — on the embedded SQLite store (or OPSDOJO_DATABASE_URL).
 * The budget is under 1 ms per step.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { systemClock } from "../src/core/index.ts";
import { Journal } from "../src/operations/journal/index.ts";
import { openStore } from "../src/store/index.ts";

const steps = Number(process.env.BENCH_STEPS ?? 2000);
const home = mkdtempSync(join(tmpdir(), "opsdojo-bench-journal-"));
const store = await openStore({ home, databaseUrl: process.env.OPSDOJO_DATABASE_URL });
const journal = new Journal(store, systemClock);
const runId = await journal.startRun({
  operationId: "op_bench",
  operationName: "bench",
  params: {},
  owner: "bench",
  leaseMs: 60_000,
});
const started = performance.now();
for (let i = 0; i < steps; i++) {
  const key = { runId, target: `target-${i % 200}`, stepIndex: Math.floor(i / 200) };
  await journal.intend(key, {
    name: "write",
    action: "file.write",
    input: { path: `/srv/app/${i}` },
    preState: { existed: true, blob: "a".repeat(64), mode: 0o644 },
  });
  await journal.finish(key, { bytes: 42 });
}
const perStepUs = ((performance.now() - started) / steps) * 1000;
await store.close();
rmSync(home, { recursive: true, force: true });
console.log(JSON.stringify({ store: store.dialect, steps, journal_us_per_step: Math.round(perStepUs) }));
console.log(`journal overhead: ${(perStepUs / 1000).toFixed(3)} ms per step (budget 1 ms)`);
