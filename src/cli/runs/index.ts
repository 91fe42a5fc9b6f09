/** The runs of operations, for the `runs` commands: on this machine's store or on a server. */
export {
  type LiveView,
  MOVING,
  type RunDetail,
  type RunOutcome,
  type RunPrediction,
  type RunShape,
  type RunSummary,
  type RunsBackend,
  type RunWatch,
  type StepView,
} from "./backend.ts";
export { withRuns } from "./open.ts";
export { stepsFromEvents } from "./steps-from-events.ts";
