export type {
  AlignmentFailure,
  AlignmentOptions,
  Deviation,
  LogAlignment,
  Move,
  MoveKind,
  TraceAlignment,
  VariantAlignment,
} from "./alignment-model.ts";
export { alignLog, alignTrace, modelCost } from "./alignments.ts";
export { deviationsOf } from "./deviations.ts";
export { type LoadedModel, loadModel, parseModel } from "./model-file.ts";
export { etcPrecision, type PrecisionMarkings, type PrecisionResult, precisionOf } from "./precision.ts";
export { type LogReplay, replayLog, replayTrace, type TraceReplay } from "./token-replay.ts";
