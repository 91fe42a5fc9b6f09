import type { Clock } from "../../core/index.ts";
import type { Store } from "../../store/index.ts";
import type { RunResult, StepFailure } from "../engine/model.ts";
import { Journal, type StepRecord } from "../journal/index.ts";
import type { Operation, ParamValue } from "../model/index.ts";
import { RunRecords } from "../runs/index.ts";
import { rankCauses } from "./causes.ts";
import { paramsUsed } from "./causes-network.ts";
import { processContext } from "./context.ts";
import { endpointHints } from "./endpoints.ts";
import { locateFailure, summaryOf } from "./failure.ts";
import { deviationOf, loadHistory } from "./history.ts";
import type { Diagnosis } from "./model.ts";
import { probesFor } from "./plan-probes.ts";
import { runProbes } from "./probes/bounded.ts";
import { recoveryFor } from "./recovery.ts";
import { spansOf } from "./timeline.ts";

export interface DiagnoseInput {
  readonly runId: string;
  readonly operation: Operation;
  readonly params: Readonly<Record<string, ParamValue>>;
  /** The run's result as the engine returned it (status, targets, failure, unrestored). */
  readonly result: RunResult;
}

export interface DiagnoseOptions {
  readonly store: Store;
  readonly clock: Clock;
  /** Longest one diagnostic probe may take (default 2 s); they run at the same time. */
  readonly probeTimeoutMs?: number;
  /** Where AWS credentials are looked for (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
}

/** The failure a diagnosis is about: the run's, else the first failed target's. */
function failureOf(result: RunResult): StepFailure | undefined {
  return result.failure ?? result.targets.find((t) => t.failure)?.failure;
}

function outputsOf(records: readonly StepRecord[], target: string) {
  const outputs: Record<string, { output: unknown }> = {};
  for (const r of records)
    if (r.target === target && r.output !== null) outputs[r.stepName] = { output: r.output };
  return outputs;
}

/**
 * Diagnose a run that did not succeed, from its journal, its operation's earlier runs and
 * probes run now: where it failed (expected vs observed), what ran before, how it deviates from
 * the usual, what the probes found, and candidate causes ranked by that evidence, each with a
 * recovery.
 *
 * @example
 * const diagnosis = await diagnoseRun({ runId, operation, params, result }, { store, clock });
 * diagnosis.causes[0]; // { id: "nothing_listening", title: "nothing listens on 127.0.0.1:8081: …", … }
 */
export async function diagnoseRun(input: DiagnoseInput, options: DiagnoseOptions): Promise<Diagnosis> {
  const journal = new Journal(options.store, options.clock);
  const records = await journal.steps(input.runId);
  const events = await journal.events(input.runId, 0, 100_000);
  const status = input.result.status;
  const failure = failureOf(input.result);
  const located = failure
    ? locateFailure(
        { runId: input.runId, operation: input.operation, params: input.params, records },
        failure,
      )
    : undefined;
  const point = located?.point;
  const spans = spansOf(events);
  const context = processContext(records, spans, point);
  const version = await new RunRecords(options.store).operationVersion(input.runId);
  const history = await loadHistory(options.store, input.operation.name, input.runId);
  const deviation = deviationOf({
    history,
    spans,
    stepOrder: input.operation.steps.map((s) => s.name),
    params: input.params,
    version,
    failure: point,
  });
  const hints = point
    ? endpointHints({
        operation: input.operation,
        params: input.params,
        point,
        doneSteps: records
          .filter(
            (r) =>
              r.target === point.target &&
              r.stepName !== point.step &&
              (r.state === "done" || r.state === "undone"),
          )
          .map((r) => r.stepName),
        outputs: outputsOf(records, point.target),
        deviation,
        usedParams: paramsUsed(located?.rawCheck),
      })
    : { alternatives: [], answeredEarlier: [] };
  const probes = await runProbes(probesFor(point?.subject, hints.alternatives, options.env ?? process.env), {
    ...(options.probeTimeoutMs !== undefined ? { timeoutMs: options.probeTimeoutMs } : {}),
  });
  const candidates = rankCauses({
    point,
    probes,
    deviation,
    context,
    ...(located?.rawCheck ? { rawCheck: located.rawCheck } : {}),
    answeredEarlier: hints.answeredEarlier,
  });
  const recoveryContext = {
    runId: input.runId,
    status,
    operation: input.operation.name,
    params: input.params,
  };
  const unrestored = input.result.unrestored.map((u) => ({
    target: u.target,
    step: u.step,
    reason: u.reason,
  }));
  return {
    version: 1,
    run_id: input.runId,
    operation: input.operation.name,
    status,
    diagnosed_at: options.clock.now().toISOString(),
    summary: point
      ? summaryOf(point)
      : unrestored.length > 0
        ? `the rollback could not restore ${unrestored.map((u) => `${u.target}/${u.step}`).join(", ")}`
        : `the run ended ${status}`,
    ...(point ? { failure: point } : {}),
    context,
    deviation,
    probes,
    causes: candidates.map((c) => ({
      id: c.id,
      title: c.title,
      score: Math.round(c.score * 100) / 100,
      evidence: c.evidence,
      recovery: recoveryFor(c, recoveryContext),
    })),
    unrestored,
  };
}
