import { seededRandom } from "../../core/index.ts";
import { resolveBatchSize } from "./build-model.ts";
import { compile } from "./compile.ts";
import type { SimModel, WhatIf, WhatIfPoint } from "./model.ts";
import { simulateRuns, summarise } from "./simulate.ts";

const BATCH_CANDIDATES: readonly (number | string)[] = [
  1,
  2,
  5,
  10,
  25,
  50,
  100,
  "5%",
  "10%",
  "25%",
  "50%",
  "100%",
];
const FAILURE_CANDIDATES: readonly (number | string)[] = [0, 1, 2, 5, 10, "1%", "2%", "5%"];

export interface WhatIfOptions {
  readonly runsEach: number;
  readonly seed: string | number;
  /** Only points whose P90 is within it are recommended (any, when absent). */
  readonly deadlineMs?: number;
  /** Largest acceptable chance that the run does not complete (rolled back or paused). */
  readonly maxRisk: number;
}

function candidates(model: SimModel): { batches: number[]; failures: number[] } {
  const t = model.targets;
  const batches = new Set([model.batchSize, ...BATCH_CANDIDATES.map((b) => resolveBatchSize(b, t))]);
  const failures = new Set([
    model.maxFailures,
    ...FAILURE_CANDIDATES.map((f) =>
      typeof f === "number" ? f : Math.floor((t * Number(f.replace("%", ""))) / 100),
    ),
  ]);
  return {
    batches: [...batches].filter((b) => b <= t).sort((a, b) => a - b),
    failures: [...failures].filter((f) => f < t).sort((a, b) => a - b),
  };
}

type Point = Omit<WhatIfPoint, "pareto">;

/**
 * `o` is at least as good as `p` in time (P90), risk and tolerated failures, and better in one;
 * of points alike in all three, the smallest batch (the smallest blast radius) stays.
 */
function dominates(o: Point, p: Point): boolean {
  if (o.p90Ms > p.p90Ms || o.risk > p.risk || o.maxFailures > p.maxFailures) return false;
  if (o.p90Ms < p.p90Ms || o.risk < p.risk || o.maxFailures < p.maxFailures) return true;
  return o.batchSize < p.batchSize;
}

/**
 * What-if: the model simulated over a grid of `batch_size` × `max_failures` (the same success
 * paths and seed for every point, so differences are the strategy's, not the dice's); the Pareto
 * front of P90 time against risk, and the fastest point that meets the deadline within the risk.
 */
export function whatIf(model: SimModel, options: WhatIfOptions): WhatIf {
  const base = compile(model, seededRandom(options.seed));
  const { batches, failures } = candidates(model);
  const raw: Point[] = [];
  for (const batchSize of batches)
    for (const maxFailures of failures) {
      const c = { ...base, model: { ...model, batchSize, maxFailures } };
      const s = summarise(c, simulateRuns(c, options.runsEach, seededRandom(`${options.seed}/what-if`)));
      raw.push({
        batchSize,
        maxFailures,
        p50Ms: s.completeMs?.p50.value ?? Number.POSITIVE_INFINITY,
        p90Ms: s.completeMs?.p90.value ?? Number.POSITIVE_INFINITY,
        risk: s.probability.rolled_back.value + s.probability.paused.value,
        expectedFailedTargets: s.expectedFailedTargets,
      });
    }
  const points = raw.map((p) => ({ ...p, pareto: !raw.some((o) => dominates(o, p)) }));
  const fits = points
    .filter((p) => Number.isFinite(p.p90Ms) && p.risk <= options.maxRisk)
    .filter((p) => options.deadlineMs === undefined || p.p90Ms <= options.deadlineMs)
    .sort((a, b) => a.p90Ms - b.p90Ms || a.risk - b.risk || a.maxFailures - b.maxFailures);
  return {
    runsEach: options.runsEach,
    points,
    recommended: fits[0],
    deadlineMs: options.deadlineMs,
    maxRisk: options.maxRisk,
  };
}
