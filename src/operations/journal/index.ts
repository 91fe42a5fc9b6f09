export { RunNotFoundError } from "./errors.ts";
export {
  FINAL_STATUSES,
  Journal,
  type JournalEvent,
  type JournalListener,
  type LostRun,
  type Redaction,
  RUN_STATUSES,
  type RunStatus,
  type StepKey,
  type StepRecord,
  type StepState,
} from "./journal.ts";
export { isServerOwner } from "./server-owner.ts";
