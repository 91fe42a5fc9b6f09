/**
 * `npm run bench:simulate-validation`: issue 17's validation at a larger scale than its test. The
 * operation of test/support/simulation-validation.ts (200 targets; drain, deploy, verify as noops
 * with known duration distributions and failure rates, seeded) is run for real — engine, journal,
 * SQLite in a temp dir — on an injected clock; the simulation learned from the first
 * BENCH_LEARN runs (default 30) predicts the next BENCH_RUNS (default 100). Prints the observed
 * vs predicted table of docs/operations.md "Simulate" (or `--json`). BENCH_SEED (default "bench").
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatMs } from "../src/operations/simulate/index.ts";
import { openStore } from "../src/store/index.ts";
import { validateSimulation } from "../test/support/simulation-validation.ts";

const learnRuns = Number(process.env.BENCH_LEARN ?? 30);
const runs = Number(process.env.BENCH_RUNS ?? 100);
const seed = process.env.BENCH_SEED ?? "bench";
const json = process.argv.includes("--json");

const home = await mkdtemp(join(tmpdir(), "opsdojo-bench-sim-"));
const store = await openStore({ home });
try {
  const started = Date.now();
  const result = await validateSimulation(store, {
    targets: 200,
    learnRuns,
    runs,
    seed,
    ...(json ? {} : { onRun: (i: number) => process.stderr.write(`\rrun ${i + 1}/${learnRuns + runs}`) }),
  });
  const t = result.table;
  const n = result.observed.length;
  // The observed rate's own sampling error: a prediction cannot be held to better than this.
  const se = Math.sqrt((t.successObserved * (1 - t.successObserved)) / n);
  const report = {
    targets: 200,
    learned_from_runs: learnRuns,
    observed_runs: n,
    success: {
      observed: t.successObserved,
      predicted: t.successPredicted,
      difference_pp: Number(((t.successPredicted - t.successObserved) * 100).toFixed(2)),
      observed_standard_error_pp: Number((se * 100).toFixed(2)),
      within_5pp: Math.abs(t.successPredicted - t.successObserved) <= 0.05,
    },
    p50_ms: {
      observed: t.p50Observed,
      predicted: Math.round(t.p50Predicted),
      difference_pct: Number((((t.p50Predicted - t.p50Observed) / t.p50Observed) * 100).toFixed(2)),
      within_10pct: Math.abs(t.p50Predicted - t.p50Observed) / t.p50Observed <= 0.1,
    },
    wall_seconds: Math.round((Date.now() - started) / 1000),
  };
  if (json) console.log(JSON.stringify(report, null, 2));
  else {
    process.stderr.write("\n");
    console.log(
      `simulate validation: learned from ${learnRuns} runs, compared on ${n} more (200 targets, seed ${seed})`,
    );
    console.log("| | observed | predicted | difference | goal |");
    console.log("|---|---|---|---|---|");
    console.log(
      `| P(success) | ${(t.successObserved * 100).toFixed(1)} % (±${(se * 100).toFixed(1)} pp s.e.) | ${(t.successPredicted * 100).toFixed(1)} % | ${report.success.difference_pp} pp | ±5 pp: ${report.success.within_5pp ? "met" : "NOT met"} |`,
    );
    console.log(
      `| P50 time | ${formatMs(t.p50Observed)} | ${formatMs(t.p50Predicted)} | ${report.p50_ms.difference_pct} % | ±10 %: ${report.p50_ms.within_10pct ? "met" : "NOT met"} |`,
    );
  }
} finally {
  await store.close();
  await rm(home, { recursive: true, force: true });
}
