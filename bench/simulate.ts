/**
 * `npm run bench:simulate`: 10 000 simulated runs of an operation of 1 000 targets × 10 steps
 * (log-normal durations, 0.5 % failures per attempt, one retry, batches of 50, max_failures 5),
 * on one core in this process; reports simulated steps per second (runs × targets × steps / CPU
 * time of the simulation). The goal (issue 17) is under 2 s. Median of BENCH_ROUNDS (default 3).
 * `--json`: one JSON document instead of the lines.
 */

import type { Operation } from "../src/operations/model/index.ts";
import { buildModel, simulate } from "../src/operations/simulate/index.ts";

const RUNS = Number(process.env.BENCH_RUNS ?? 10_000);
const TARGETS = Number(process.env.BENCH_TARGETS ?? 1_000);
const STEPS = Number(process.env.BENCH_STEPS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const operation: Operation = {
  opsdojo: "operation/v1",
  name: "bench-simulate",
  targets: Array.from({ length: TARGETS }, (_, i) => ({ name: `host-${i}` })),
  strategy: { batch_size: 50, max_failures: 5, on_failure: "rollback" },
  steps: Array.from({ length: STEPS }, (_, i) => ({
    name: `step-${i}`,
    uses: "noop",
    retries: { count: 1, delay: "1s" },
  })),
};
const steps = Object.fromEntries(
  operation.steps.map((s, i) => [
    s.name,
    { duration: { kind: "lognormal" as const, medianMs: 1000 + i * 300, sigma: 0.4 }, failRate: 0.005 },
  ]),
);
const model = buildModel({
  operation,
  profile: { steps: new Map(Object.entries(steps)), actions: new Map() },
});

const times: number[] = [];
let last: ReturnType<typeof simulate> | undefined;
for (let round = 0; round < ROUNDS; round++) {
  const cpu = process.cpuUsage();
  last = simulate(model, { runs: RUNS, seed: round });
  const used = process.cpuUsage(cpu);
  times.push((used.user + used.system) / 1e6);
}
times.sort((a, b) => a - b);
const seconds = times[Math.floor(times.length / 2)] as number;
const simulatedSteps = RUNS * TARGETS * STEPS;
const result = {
  runs: RUNS,
  targets: TARGETS,
  steps: STEPS,
  cpu_seconds: Number(seconds.toFixed(3)),
  steps_per_second: Math.round(simulatedSteps / seconds),
  goal_seconds: 2,
  meets_goal: seconds < 2,
  p_success: last?.probability.succeeded.value,
};
if (process.argv.includes("--json")) console.log(JSON.stringify(result, null, 2));
else {
  console.log(`simulate: ${RUNS} runs × ${TARGETS} targets × ${STEPS} steps, median of ${ROUNDS}`);
  console.log(
    `  CPU time          ${seconds.toFixed(3)} s (goal < 2 s: ${result.meets_goal ? "met" : "NOT met"})`,
  );
  console.log(`  simulated steps   ${(result.steps_per_second / 1e6).toFixed(1)} M/s`);
  console.log(`  P(success)        ${((last?.probability.succeeded.value ?? 0) * 100).toFixed(1)} %`);
}
