/**
 * Mining worker threads: discovery, template mining of uploads and deviation checks run here,
 * off the event loop, within the node's limits (activities, events, templates, bytes, time).
 *
 * @example
 * const limits = resolveMiningLimits({ maxActivities: 300 }, process.env);
 * const workers = new MiningWorkers(limits);
 * const { model } = await workers.run("discover", { log, algorithm: "inductive", validateOnly: false, ...limits });
 * await workers.close(); // terminates whatever still runs
 */
export {
  MiningLimitError,
  MiningTaskError,
  MiningWorkerCrashedError,
  MiningWorkersBusyError,
  MiningWorkersClosedError,
} from "./errors.ts";
export {
  defaultMiningLimits,
  LIMIT_SETTINGS,
  type LimitName,
  type MiningLimits,
  resolveMiningLimits,
} from "./limits.ts";
export { MiningWorkers, type PoolLimits, WorkerLease } from "./pool.ts";
export type { OperationName, Operations } from "./protocol.ts";
export { activityNames, resolveTemplate } from "./tasks/activities.ts";
export type { DiscoverResult, DiscoverTask, JobLog, UploadedLog } from "./tasks/discover.ts";
export {
  type LineCounts,
  LineMiner,
  type LineMinerStart,
  type LineStretch,
  type MinedEvent,
} from "./tasks/line-miner.ts";
export type { FoundDeviation, ReplayTask } from "./tasks/replay.ts";
