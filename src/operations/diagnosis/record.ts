import { messageOf } from "../../core/index.ts";
import type { EngineOptions, RunResult } from "../engine/model.ts";
import { Journal, type Redaction } from "../journal/index.ts";
import type { Operation, ParamValue } from "../model/index.ts";
import { diagnoseRun } from "./diagnose.ts";

/** Statuses a run is diagnosed in: it did not succeed, and something failed. */
const DIAGNOSED = new Set(["failed", "rolled_back", "rollback_incomplete", "paused", "refused"]);

/**
 * The engine's hook: once a run comes to rest not succeeded, diagnose it and store the diagnosis
 * with the run; a run that succeeds (say, resumed after a fix) drops a diagnosis it had. Undo
 * (which has no failure of its own) keeps the diagnosis of the run it undid. A diagnosis that
 * cannot be made never changes the run's outcome: the error is journalled as a
 * `diagnosis.failed` event and the result is returned as it was.
 */
export async function recordDiagnosis(
  result: RunResult,
  input: { operation: Operation; params: Readonly<Record<string, ParamValue>> },
  options: EngineOptions,
  redaction?: Redaction,
): Promise<RunResult> {
  const journal = new Journal(options.store, options.clock, undefined, redaction);
  try {
    if (result.status === "succeeded") {
      await journal.setDiagnosis(result.id, null);
      return result;
    }
    const failed = result.failure ?? result.targets.some((t) => t.failure);
    if (!DIAGNOSED.has(result.status) || !failed) return result;
    // Diagnosed from what is stored: a secret becomes «secret:name» in its evidence and
    // recoveries, and a probe never sends it (plan-probes skips a subject that holds one).
    const params = redaction ? redaction.value(input.params) : input.params;
    const diagnosis = await diagnoseRun(
      {
        runId: result.id,
        operation: input.operation,
        params,
        result: redaction ? redaction.value(result) : result,
      },
      { store: options.store, clock: options.clock },
    );
    await journal.setDiagnosis(result.id, diagnosis);
  } catch (error) {
    await journal.note(result.id, "diagnosis.failed", { error: messageOf(error) }).catch(() => {});
  }
  return result;
}
