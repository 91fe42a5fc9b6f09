import type { Store } from "../../store/index.ts";
import type { Operation } from "../model/index.ts";
import { buildModel } from "./build-model.ts";
import { learnFromJournal } from "./learn.ts";
import { simulate } from "./simulate.ts";

export { LARGE_RUN_TARGETS } from "./model.ts";

const PREDICTION_RUNS = 2000;
const PREDICTION_SEED = "predict";

/** What the simulation expects of a run, from the journal as it was before the run. */
export interface Prediction {
  /** Earlier finished runs of the operation it was learned from. */
  readonly learned_runs: number;
  readonly p_success: number;
  readonly p50_ms: number;
  readonly p90_ms: number;
}

/**
 * The prediction for a run of `operation`, learned from the runs finished before `before` (all,
 * when absent); undefined when the journal has no run of it. Seeded, so `runs show` computes the
 * same numbers `run` printed before the run.
 *
 * @example
 * const p = await predictRun(store, operation);
 * if (p) console.log(`P50 ${p.p50_ms} ms, P90 ${p.p90_ms} ms`);
 */
export async function predictRun(
  store: Store,
  operation: Operation,
  options: { before?: string } = {},
): Promise<Prediction | undefined> {
  const learned = await learnFromJournal(store, operation.name, options);
  if (learned.runs === 0) return undefined;
  const summary = simulate(buildModel({ operation, learned }), {
    runs: PREDICTION_RUNS,
    seed: PREDICTION_SEED,
  });
  const time = summary.completeMs ?? summary.allMs;
  return {
    learned_runs: learned.runs,
    p_success: summary.probability.succeeded.value,
    p50_ms: Math.round(time.p50.value),
    p90_ms: Math.round(time.p90.value),
  };
}
