/**
 * Undoable operations: the door other units go through (docs/architecture.md "Doors"). It names
 * what they use, sub-unit by sub-unit; inside operations, files import each other's sub-unit
 * doors (`./engine/index.ts`), never this file.
 *
 * @example
 * const op = await loadOperation("rotate.yaml");
 * const result = await runOperation(op, { store, clock: systemClock, params: {} });
 * if (result.status === "failed") await undoRunById(result.id, { store, clock: systemClock });
 */
export { type V1UndoName, v1UndoName } from "./actions/index.ts";
export {
  ActionNotAllowedError,
  type ActionUse,
  AllowList,
  actionsUsed,
  checksUsed,
  stepsUsed,
} from "./allow-list/index.ts";
export type { OperationsUnitOptions } from "./api/index.ts";
export {
  actionNotAllowedProblem,
  OperationsApi,
  type OperationsUnit,
  operationsUnit,
  RunBus,
  RunExecutor,
  RunsApi,
  registerOperationsRoutes,
} from "./api/index.ts";
export { type RegisteredOperation, registerOperation } from "./catalogue.ts";
export { type CheckResult, checkPlan, runCheck } from "./checks/index.ts";
export { type Diagnosis, formatDiagnosis } from "./diagnosis/index.ts";
export {
  commitRunById,
  currentOwner,
  defaultProviders,
  failureJson,
  identityChanges,
  irreversibleSteps,
  ownerIsDeadHere,
  purgeKeptById,
  RunRefusedError,
  type RunResult,
  resumeRunById,
  runOperation,
  storedFailure,
  undoRunById,
} from "./engine/index.ts";
export {
  type CaseTrace,
  checkRunStatus,
  csvWriter,
  type ExportFormat,
  ExportOutputError,
  exportRuns,
  parseExportFormat,
  type RunFilter,
  type Sink,
  streamSink,
  xesWriter,
} from "./export/index.ts";
export { HostSessions, type RemoteOptions } from "./hosts/index.ts";
export { type InventoryTargets, inventoryTargets, sourceWithTargets } from "./inventory/index.ts";
export {
  FINAL_STATUSES,
  Journal,
  type JournalEvent,
  RunNotFoundError,
  type RunStatus,
} from "./journal/index.ts";
export {
  displayPath,
  type FileIssue,
  formatIssue,
  Locator,
  listIssues,
  loadOperation,
  OperationFileError,
  OperationParamsError,
  type Position,
  parseOperation,
  placeSchemaErrors,
  readYamlMapping,
  resolveParams,
  type Segment,
  showValue,
} from "./loader/index.ts";
export {
  CHECK_KINDS,
  type Check,
  CheckSchema,
  DURATION_PATTERN,
  type Operation,
  OperationSchema,
  type ParamValue,
  parseDuration,
  type Step,
  type Target,
  targetsOf,
} from "./model/index.ts";
export {
  classifyOperation,
  type ModelEffect,
  previewInput,
  type StepClassification,
  UNDO_CLASSES,
  type UndoClass,
} from "./planner/index.ts";
export type { Conflict, ConflictPolicy } from "./reconcile/index.ts";
export { CONFLICT_POLICIES, conflictsOf, DEFAULT_CONFLICT_POLICY } from "./reconcile/index.ts";
export { describeRecordedHostKey, type HostKeyRecord } from "./remote/index.ts";
export { loadRunHistory, MIN_HISTORY, mineRunModel } from "./run-model/index.ts";
export { loadRunInput, RunRecords, resultHasFailure, type StartedRun } from "./runs/index.ts";
export { supplySecrets } from "./secrets/index.ts";
export type { OnFailure, SimulationReport } from "./simulate/index.ts";
export {
  buildModel,
  formatMs,
  LARGE_RUN_TARGETS,
  learnFromJournal,
  loadProfile,
  ON_FAILURE,
  predictRun,
  simulate,
  simulationReport,
  simulationSvg,
  whatIf,
} from "./simulate/index.ts";
