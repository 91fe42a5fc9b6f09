export { type Candidate, rankCauses } from "./causes.ts";
export { type DiagnoseInput, type DiagnoseOptions, diagnoseRun } from "./diagnose.ts";
export { formatDiagnosis } from "./format.ts";
export type {
  Cause,
  CauseId,
  ContextStep,
  Deviation,
  Diagnosis,
  FailurePhase,
  FailurePoint,
  ProbeKind,
  ProbeResult,
  Recovery,
  RecoveryKind,
  Subject,
  UnusualDuration,
} from "./model.ts";
export { CAUSE_IDS, FAILURE_PHASES, PROBE_KINDS, RECOVERY_KINDS } from "./model.ts";
export { recordDiagnosis } from "./record.ts";
