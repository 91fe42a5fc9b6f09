/**
 * Process mining: the door other units go through (docs/architecture.md "Doors"). It names what
 * they use, sub-unit by sub-unit; inside mining, files import each other's sub-unit doors
 * (`./eventlog/index.ts`), never this file.
 *
 * @example
 * const log = await readEventLog("orders.xes");
 * const { model } = discover(log, { algorithm: "inductive" });
 * renderModel(model, "svg"); // an <svg> of the discovered net
 */

export type { MiningUnitOptions } from "./api/index.ts";
export { createMiningUnit, type MiningUnit, miningUnit, registerMiningRoutes } from "./api/index.ts";
export {
  alignLog,
  type Deviation,
  etcPrecision,
  loadModel,
  type PrecisionMarkings,
  precisionOf,
  replayTrace,
} from "./conformance/index.ts";
export {
  ALGORITHMS,
  type Algorithm,
  ARC_LABELS,
  type ArcLabels,
  type DiscoveredModel,
  discover,
  MODEL_FORMATS,
  type ModelFormat,
  modelSize,
  renderModel,
  treeToString,
} from "./discovery/index.ts";
export {
  type Attributes,
  type AttributeTypes,
  type Case,
  countEvents,
  type EventLog,
  emptyAttributeTypes,
  escapeXml,
  filterVariants,
  logFormatOf,
  openInput,
  parseVariantFilter,
  readEventLog,
  readRawLog,
  readXesStream,
  type VariantFilter,
  writeEventLog,
  XES_END,
  type XesPrologue,
  xesPrologue,
  xesTrace,
} from "./eventlog/index.ts";
export { compileNet, type MarkingEntry, netSize, type PnmlReadOptions } from "./petri/index.ts";
export {
  csvField,
  csvRow,
  type MineResult,
  mineFiles,
  PRESETS,
  type ResolvedFormat,
  readLineBatches,
  readStateFile,
  resolveFormat,
  TemplateMiner,
  writeStateFile,
} from "./templates/index.ts";
export {
  csvEventParser,
  followLines,
  jsonEventParser,
  LEARN_BOUNDS,
  LearningWatcher,
  type LearnSummary,
  type LineParser,
  parseAlarmBudget,
  rawLineParser,
  type WatchDeviation,
  Watcher,
} from "./watch/index.ts";
export { type MiningLimits, resolveMiningLimits } from "./workers/index.ts";
