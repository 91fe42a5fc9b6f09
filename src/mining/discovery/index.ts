export { arcDurations } from "./arc-durations.ts";
export { byActivity, type Classifier, type Dfg, type DfgEdge, discoverDfg } from "./dfg.ts";
export { dfgToNet } from "./dfg-to-net.ts";
export {
  ALGORITHMS,
  type Algorithm,
  type DiscoveredModel,
  type DiscoveryOptions,
  discover,
  MODEL_FORMATS,
  type ModelFormat,
  modelGraph,
  modelSize,
  modelToJson,
  type ProcessModelJson,
  type RenderOptions,
  renderModel,
} from "./discover.ts";
export { type Duration, summarize } from "./duration-stats.ts";
export {
  type HeuristicsEdge,
  type HeuristicsNet,
  type HeuristicsOptions,
  heuristicsMiner,
  heuristicsToPetri,
} from "./heuristics.ts";
export { type InductiveOptions, inductiveMiner } from "./inductive/miner.ts";
export {
  activity,
  loop,
  operator,
  type ProcessTree,
  TAU,
  treeSize,
  treeToString,
} from "./process-tree.ts";
export { ARC_LABELS, type ArcLabels } from "./render/arc-labels.ts";
export { toBpmn } from "./render/bpmn.ts";
export { toDot } from "./render/dot.ts";
export { durationText } from "./render/duration-text.ts";
export {
  dfgGraph,
  type Graph,
  type GraphEdge,
  type GraphNode,
  heuristicsGraph,
  netGraph,
} from "./render/graph.ts";
export { layout } from "./render/layout.ts";
export { toSvg } from "./render/svg.ts";
export { treeToNet } from "./tree-to-net.ts";
