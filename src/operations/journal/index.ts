export {
  Journal,
  type JournalEvent,
  type RunStatus,
  type StepKey,
  type StepRecord,
  type StepState,
} from "./journal.ts";
