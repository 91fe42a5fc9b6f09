// The owner of the runs table: every statement on it is here. The journal decides when a run
// changes (statements.ts, inside its transactions); everyone else reads through RunRecords and
// loads a stored run's input with loadRunInput.
export { RunNotFoundError } from "./errors.ts";
export { type LoadRunInputOptions, loadRunInput } from "./load-input.ts";
export type { HistoryRow, RunInput, RunOperation, RunRow, RunSummary, StartedRun } from "./model.ts";
export { RunRecords, resultHasFailure } from "./records.ts";
export {
  claimRun,
  forgetRequestKey,
  insertRun,
  interruptStaleRun,
  lostRuns,
  oldestQueued,
  renewRunLease,
  runsInFlight,
  setRunDiagnosis,
  setRunResult,
  setRunStatus,
  takeEventSeq,
  takeLostRun,
} from "./statements.ts";
