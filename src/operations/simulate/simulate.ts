import { type Random, seededRandom } from "../../core/index.ts";
import { type Compiled, compile, PATH_TABLE_SIZE, stepFailureMs, stepSuccessMs } from "./compile.ts";
import { draw } from "./distribution.ts";
import type { SimModel, SimOutcome, SimSummary, StepModel, StepShare } from "./model.ts";
import { histogram, proportion, quantiles } from "./stats.ts";

const OUTCOME_CODES: readonly SimOutcome[] = ["succeeded", "failed", "rolled_back", "paused"];

/** Raw outcomes of simulated runs, before they are summarised. */
export interface SimRuns {
  readonly durations: Float64Array;
  readonly outcomes: Uint8Array;
  readonly failedTargets: Float64Array;
  readonly rollbackMs: number[];
  /** Failed targets per step. */
  readonly failuresAt: Float64Array;
  /** Time per step on the critical path (the slowest target of each batch). */
  readonly critical: Float64Array;
}

export interface SimulateOptions {
  readonly runs: number;
  readonly seed: string | number;
}

/**
 * Simulate `runs` runs of the model, as the engine would run them: batches one after the other,
 * the targets of a batch at once (the batch lasts as long as its slowest target), failed targets
 * undone one by one when tolerated, everything undone newest first past `max_failures`
 * (`rollback`), the batch's failed targets only and no further batch (`rollback-target`), or a
 * stop (`pause`); then the steady state. Pure: the same model and seed give the same result.
 *
 * @example
 * const summary = simulate(buildModel({ operation, learned }), { runs: 10_000, seed: 1 });
 * summary.probability.succeeded.value; // 0.93
 */
export function simulate(model: SimModel, options: SimulateOptions): SimSummary {
  const random = seededRandom(options.seed);
  const compiled = compile(model, random);
  return summarise(compiled, simulateRuns(compiled, options.runs, random));
}

export function simulateRuns(c: Compiled, runs: number, random: Random): SimRuns {
  const m = c.model;
  const n = c.steps;
  const out: SimRuns = {
    durations: new Float64Array(runs),
    outcomes: new Uint8Array(runs),
    failedTargets: new Float64Array(runs),
    rollbackMs: [],
    failuresAt: new Float64Array(n),
    critical: new Float64Array(n),
  };
  const pFail = n > 0 ? (c.failUpTo[n - 1] as number) : 0;
  const { batchRate, failRate: badRate } = m.correlated;
  // Failed targets of the current batch: the step each failed at (for its undo).
  const failedStep = new Int32Array(m.batchSize);
  for (let r = 0; r < runs; r++) {
    let time = draw(m.overhead, random);
    let failures = 0;
    let passed = 0;
    let outcome = 0;
    for (let start = 0; start < m.targets; start += m.batchSize) {
      const size = Math.min(m.batchSize, m.targets - start);
      const bad = batchRate > 0 && random() < batchRate;
      let slowest = 0;
      let slowestPath = -1;
      let batchFailures = 0;
      for (let t = 0; t < size; t++) {
        let failAt = -1;
        if (bad && random() < badRate) failAt = Math.floor(random() * n);
        else if (pFail > 0) {
          const u = random();
          if (u < pFail) {
            failAt = 0;
            while ((c.failUpTo[failAt] as number) <= u) failAt++;
          }
        }
        if (failAt < 0) {
          const path = Math.floor(random() * PATH_TABLE_SIZE);
          const ms = c.paths[path] as number;
          if (ms > slowest) {
            slowest = ms;
            slowestPath = path;
          }
          continue;
        }
        let ms = 0;
        for (let s = 0; s < failAt; s++) ms += stepSuccessMs(c, s, random);
        ms += stepFailureMs(c, failAt, random);
        if (ms > slowest) {
          slowest = ms;
          slowestPath = -1;
        }
        failedStep[batchFailures++] = failAt;
        out.failuresAt[failAt] = (out.failuresAt[failAt] as number) + 1;
      }
      time += slowest;
      if (slowestPath >= 0)
        for (let s = 0; s < n; s++)
          out.critical[s] = (out.critical[s] as number) + (c.parts[slowestPath * n + s] as number);
      failures += batchFailures;
      passed += size - batchFailures;
      if (batchFailures === 0) continue;
      if (m.onFailure === "pause") {
        outcome = 3;
        break;
      }
      const over = failures > m.maxFailures;
      if (over && m.onFailure === "rollback") {
        const undo = undoFailed(c, failedStep, batchFailures, random) + undoPassed(c, passed, random);
        time += undo;
        out.rollbackMs.push(undo);
        outcome = 2;
        break;
      }
      time += undoFailed(c, failedStep, batchFailures, random);
      if (over) break;
    }
    if (outcome === 0 && m.steadyStateFailRate > 0 && random() < m.steadyStateFailRate) {
      const undo = undoPassed(c, passed, random);
      time += undo;
      out.rollbackMs.push(undo);
      outcome = 2;
    }
    if (outcome === 0 && failures > 0) outcome = 1;
    out.durations[r] = time;
    out.outcomes[r] = outcome;
    out.failedTargets[r] = failures;
  }
  return out;
}

/** Undo the failed targets of a batch, one after the other, each from the step it failed at back. */
function undoFailed(c: Compiled, failedStep: Int32Array, count: number, random: Random): number {
  let ms = 0;
  for (let i = 0; i < count; i++)
    for (let s = failedStep[i] as number; s >= 0; s--)
      ms += draw((c.model.steps[s] as StepModel).undo, random);
  return ms;
}

function undoPassed(c: Compiled, passed: number, random: Random): number {
  let ms = 0;
  for (let i = 0; i < passed; i++) ms += c.fullUndo[Math.floor(random() * PATH_TABLE_SIZE)] as number;
  return ms;
}

export function summarise(c: Compiled, runs: SimRuns): SimSummary {
  const m = c.model;
  const total = runs.durations.length;
  const counts = [0, 0, 0, 0];
  const complete: number[] = [];
  let failed = 0;
  for (let r = 0; r < total; r++) {
    const o = runs.outcomes[r] as number;
    counts[o] = (counts[o] as number) + 1;
    if (o <= 1) complete.push(runs.durations[r] as number);
    failed += runs.failedTargets[r] as number;
  }
  const probability = Object.fromEntries(
    OUTCOME_CODES.map((name, i) => [name, proportion(counts[i] as number, total)]),
  ) as Record<SimOutcome, ReturnType<typeof proportion>>;
  return {
    runs: total,
    targets: m.targets,
    batchSize: m.batchSize,
    maxFailures: m.maxFailures,
    onFailure: m.onFailure,
    probability,
    completeMs: complete.length > 0 ? quantiles(Float64Array.from(complete)) : undefined,
    allMs: quantiles(runs.durations),
    expectedFailedTargets: total > 0 ? failed / total : 0,
    rollbackMs: runs.rollbackMs.length > 0 ? quantiles(Float64Array.from(runs.rollbackMs)) : undefined,
    bottlenecks: bottlenecks(c, runs),
    histogram: histogram(runs.durations),
  };
}

function bottlenecks(c: Compiled, runs: SimRuns): StepShare[] {
  const n = c.steps;
  const mean = new Float64Array(n);
  for (let i = 0; i < PATH_TABLE_SIZE; i++)
    for (let s = 0; s < n; s++) mean[s] = (mean[s] as number) + (c.parts[i * n + s] as number);
  const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
  const timeTotal = sum(mean);
  const failTotal = sum(runs.failuresAt);
  const criticalTotal = sum(runs.critical);
  return c.model.steps.map((step, s) => ({
    step: step.name,
    timeShare: timeTotal > 0 ? (mean[s] as number) / timeTotal : 0,
    failureShare: failTotal > 0 ? (runs.failuresAt[s] as number) / failTotal : 0,
    criticalShare: criticalTotal > 0 ? (runs.critical[s] as number) / criticalTotal : 0,
    observations: step.observations,
    source: step.source,
  }));
}
