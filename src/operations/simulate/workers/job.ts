import type { Operation } from "../../model/index.ts";
import { buildModel } from "../build-model.ts";
import type { Learned } from "../learn.ts";
import type { OnFailure } from "../model.ts";
import type { Profile } from "../profile.ts";
import { type SimulationReport, simulationReport } from "../report.ts";
import { simulate } from "../simulate.ts";
import { whatIf } from "../sweep.ts";

/** One simulation, as plain data (it crosses to a worker thread by structured clone). */
export interface SimulationJob {
  readonly operation: Operation;
  readonly learned?: Learned;
  readonly profile?: Profile;
  readonly targets?: number;
  readonly batchSize?: number | string;
  readonly maxFailures?: number;
  readonly onFailure?: OnFailure;
  readonly runs: number;
  readonly seed: string;
  readonly whatIf?: { readonly runsEach: number; readonly deadlineMs?: number; readonly maxRisk: number };
}

/** Model, simulate, sweep, report: the whole of a simulation, pure. */
export function runSimulationJob(job: SimulationJob): SimulationReport {
  const model = buildModel({
    operation: job.operation,
    ...(job.learned ? { learned: job.learned } : {}),
    ...(job.profile ? { profile: job.profile } : {}),
    ...(job.targets !== undefined ? { targets: job.targets } : {}),
    ...(job.batchSize !== undefined ? { batchSize: job.batchSize } : {}),
    ...(job.maxFailures !== undefined ? { maxFailures: job.maxFailures } : {}),
    ...(job.onFailure !== undefined ? { onFailure: job.onFailure } : {}),
  });
  const summary = simulate(model, { runs: job.runs, seed: job.seed });
  const sweep = job.whatIf ? whatIf(model, { ...job.whatIf, seed: job.seed }) : undefined;
  return simulationReport(model, summary, sweep, job.seed);
}
