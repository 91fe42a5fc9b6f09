export { type CheckRunner, type NamedCheckResult, runScenarioCheck } from "./checks.ts";
export { requestEnd, requestRelease } from "./commands.ts";
export { faultStarter, isFaultStarter } from "./fault-starter.ts";
export type {
  EndReason,
  FaultRecord,
  Player,
  SessionCommand,
  SessionRecord,
  SessionStatus,
} from "./model.ts";
export { hostedSessionOwner, isHostedSessionOwner } from "./owner.ts";
export { findInterruptedSessions, restoreLostSessions, restoreSession } from "./recover.ts";
export { SessionRepository } from "./repository.ts";
export { RESTORE_WITHIN_MS, type RestoreOutcome, restoreFaults } from "./restore.ts";
export {
  checkStartable,
  describeReason,
  irreversibleFaults,
  type RunnerOptions,
  SessionRunner,
  type StartInput,
  startSession,
} from "./runner.ts";
export { dueItems, key, releasable, type ScheduledItem, scheduleOf, stopTripped } from "./schedule.ts";
