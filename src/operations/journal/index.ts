export {
  FINAL_STATUSES,
  Journal,
  type JournalEvent,
  type JournalListener,
  type Redaction,
  type RunStatus,
  type StepKey,
  type StepRecord,
  type StepState,
} from "./journal.ts";
