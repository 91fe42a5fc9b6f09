// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} is the operation file's own reference syntax, written literally on purpose.
import { ManualClock } from "../../src/core/index.ts";
import { registerOperation } from "../../src/operations/catalogue.ts";
import { runOperation } from "../../src/operations/engine/index.ts";
import {
  buildModel,
  learnFromJournal,
  type SimSummary,
  simulate,
} from "../../src/operations/simulate/index.ts";
import type { Store } from "../../src/store/index.ts";

/**
 * The validation operation (docs/operations.md "Simulate"): targets that drain, deploy and verify
 * with noops whose durations and failures are drawn at known rates, seeded per run and target.
 * One target at a time: the runs pass time on a ManualClock (the engine's `sleep`), which has one
 * timeline, so the journal holds exactly the drawn durations whatever the machine's load.
 */
export function validationOperation(targets: number): string {
  const names = Array.from(
    { length: targets },
    (_, i) => `      - { name: host-${String(i).padStart(3, "0")} }`,
  );
  return [
    "opsdojo: operation/v1",
    "name: simulate-validation",
    "params:",
    "  seed: { type: string, required: true }",
    "targets:",
    ...names.map((n) => n.slice(4)),
    "strategy: { batch_size: 1, max_failures: 1, on_failure: rollback }",
    "steps:",
    "  - name: drain",
    "    uses: noop",
    '    with: { duration: { min: 1s, max: 3s }, fail_rate: 0.05, seed: "${params.seed}/${target.name}/drain" }',
    "    retries: { count: 2, delay: 2s }",
    "  - name: deploy",
    "    uses: noop",
    '    with: { duration: { median: 5s, sigma: 0.3 }, fail_rate: 0.1, seed: "${params.seed}/${target.name}/deploy" }',
    "    retries: { count: 3, delay: 1s }",
    "  - name: verify",
    "    uses: noop",
    '    with: { duration: 500ms, fail_rate: 0.01, seed: "${params.seed}/${target.name}/verify" }',
    "    retries: { count: 1 }",
    "",
  ].join("\n");
}

export interface ObservedRun {
  readonly status: string;
  readonly ms: number;
}

export interface ValidationResult {
  readonly learnedFrom: number;
  readonly observed: readonly ObservedRun[];
  readonly predicted: SimSummary;
  readonly table: {
    readonly successObserved: number;
    readonly successPredicted: number;
    readonly p50Observed: number;
    readonly p50Predicted: number;
  };
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = (sorted.length - 1) / 2;
  return ((sorted[Math.floor(mid)] as number) + (sorted[Math.ceil(mid)] as number)) / 2;
};

/**
 * Run the operation `learnRuns` times, learn from that journal, predict; then run it `runs` more
 * times and compare the prediction with what those runs did.
 */
export async function validateSimulation(
  store: Store,
  options: { targets: number; learnRuns: number; runs: number; seed: string; onRun?: (i: number) => void },
): Promise<ValidationResult> {
  const clock = new ManualClock("2026-06-01T00:00:00Z");
  const sleep = async (ms: number) => clock.advance(ms);
  const registered = await registerOperation(
    store,
    clock,
    validationOperation(options.targets),
    "validation.yaml",
  );
  const runOnce = async (i: number): Promise<ObservedRun> => {
    const from = clock.now().getTime();
    const result = await runOperation(
      {
        operation: registered.operation,
        operationId: registered.id,
        params: { seed: `${options.seed}-${i}` },
      },
      { store, clock, sleep, owner: "validation" },
    );
    options.onRun?.(i);
    return { status: result.status, ms: clock.now().getTime() - from };
  };
  for (let i = 0; i < options.learnRuns; i++) await runOnce(i);
  const learned = await learnFromJournal(store, registered.name, { history: options.learnRuns });
  const predicted = simulate(buildModel({ operation: registered.operation, learned }), {
    runs: 10_000,
    seed: options.seed,
  });
  const observed: ObservedRun[] = [];
  for (let i = 0; i < options.runs; i++) observed.push(await runOnce(options.learnRuns + i));
  const completed = observed.filter((r) => r.status === "succeeded" || r.status === "failed");
  return {
    learnedFrom: options.learnRuns,
    observed,
    predicted,
    table: {
      successObserved: observed.filter((r) => r.status === "succeeded").length / observed.length,
      successPredicted: predicted.probability.succeeded.value,
      p50Observed: completed.length > 0 ? median(completed.map((r) => r.ms)) : Number.NaN,
      p50Predicted: predicted.completeMs?.p50.value ?? Number.NaN,
    },
  };
}
