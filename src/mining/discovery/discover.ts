import type { EventLog } from "../eventlog/index.ts";
import {
  netSize,
  netToJson,
  type PetriNet,
  type PetriNetJson,
  reduceSilent,
  toPnml,
} from "../petri/index.ts";
import { arcDurations } from "./arc-durations.ts";
import { byActivity, type Classifier, type Dfg, discoverDfg } from "./dfg.ts";
import { dfgToNet } from "./dfg-to-net.ts";
import type { Duration } from "./duration-stats.ts";
import { type HeuristicsNet, heuristicsMiner } from "./heuristics.ts";
import { inductiveMiner } from "./inductive/miner.ts";
import { type ProcessTree, treeToString } from "./process-tree.ts";
import type { ArcLabels } from "./render/arc-labels.ts";
import { toBpmn } from "./render/bpmn.ts";
import { toDot } from "./render/dot.ts";
import { dfgGraph, type Graph, netGraph } from "./render/graph.ts";
import { toSvg } from "./render/svg.ts";
import { treeToNet } from "./tree-to-net.ts";

export const ALGORITHMS = ["inductive", "heuristics", "dfg"] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

export const MODEL_FORMATS = ["json", "dot", "svg", "pnml", "bpmn"] as const;
export type ModelFormat = (typeof MODEL_FORMATS)[number];

export interface DiscoveryOptions {
  readonly algorithm?: Algorithm;
  /** Inductive miner: IMf noise threshold in [0, 1); 0 (the default) keeps every trace fitting. */
  readonly noise?: number;
  /** Heuristics miner: dependency threshold (0.5). */
  readonly dependencyThreshold?: number;
  readonly classify?: Classifier;
}

/** The model file (`--out model.json`): what was mined, how, and from how much. */
export interface ProcessModelJson {
  readonly format: "opsdojo-process-model/v1";
  readonly algorithm: Algorithm;
  readonly parameters: Record<string, number>;
  readonly log: { readonly cases: number; readonly events: number; readonly activities: number };
  readonly tree?: { readonly text: string; readonly root: ProcessTree };
  readonly heuristics?: HeuristicsNet;
  readonly net: PetriNetJson;
  readonly dfg: Dfg;
  /**
   * The time on each arc of `net` (index for index; null where none was measured), present when
   * the log had timestamps. See `arcDurations`.
   */
  readonly arc_durations?: (Duration | null)[];
}

export interface DiscoveredModel {
  readonly algorithm: Algorithm;
  readonly dfg: Dfg;
  readonly net: PetriNet;
  readonly tree?: ProcessTree;
  readonly heuristics?: HeuristicsNet;
  readonly parameters: Record<string, number>;
  /** The time on each arc of `net`; absent when the log had no timestamps. */
  readonly arcDurations?: readonly (Duration | null)[];
}

/**
 * Discover a model from an event log: the DFG always, and a Petri net by the chosen algorithm
 * (a process tree too for the inductive miner); the inductive and DFG nets without the silent
 * transitions that only pass a token along.
 *
 * @example
 * const model = discover(log, { algorithm: "inductive", noise: 0.2 });
 * renderModel(model, "pnml"); // for PM4Py or ProM
 */
export function discover(log: EventLog, options: DiscoveryOptions = {}): DiscoveredModel {
  const model = mine(log, options);
  // Times only from a log that has them: an untimed model is drawn as it always was.
  if (!model.dfg.edges.some((e) => e.medianMs !== null)) return model;
  const durations = arcDurations(log, model.net, options.classify ?? byActivity);
  return durations.some((d) => d !== null) ? { ...model, arcDurations: durations } : model;
}

function mine(log: EventLog, options: DiscoveryOptions): DiscoveredModel {
  const algorithm = options.algorithm ?? "inductive";
  const classify = options.classify ?? byActivity;
  const dfg = discoverDfg(log, classify);
  switch (algorithm) {
    case "inductive": {
      const noise = options.noise ?? 0;
      const tree = inductiveMiner(log, { noise, classify });
      return {
        algorithm,
        dfg,
        tree,
        net: reduceSilent(treeToNet(tree, "inductive miner")),
        parameters: { noise },
      };
    }
    case "heuristics": {
      const dependencyThreshold = options.dependencyThreshold ?? 0.5;
      const { net, petri } = heuristicsMiner(log, { dependencyThreshold, classify });
      return {
        algorithm,
        dfg,
        heuristics: net,
        // Not reduced: token replay of the unreduced net, with a place per dependency, counts
        // fewer missing tokens on noisy logs (the language is the same either way).
        net: petri,
        parameters: { dependencyThreshold },
      };
    }
    case "dfg":
      return { algorithm, dfg, net: reduceSilent(dfgToNet(dfg)), parameters: {} };
  }
}

export function modelToJson(model: DiscoveredModel): ProcessModelJson {
  return {
    format: "opsdojo-process-model/v1",
    algorithm: model.algorithm,
    parameters: model.parameters,
    log: { cases: model.dfg.cases, events: model.dfg.events, activities: model.dfg.activities.length },
    ...(model.tree ? { tree: { text: treeToString(model.tree), root: model.tree } } : {}),
    ...(model.heuristics ? { heuristics: model.heuristics } : {}),
    net: netToJson(model.net),
    dfg: model.dfg,
    ...(model.arcDurations ? { arc_durations: [...model.arcDurations] } : {}),
  };
}

/** How DOT and SVG draw a model. */
export interface RenderOptions {
  /** What the arcs say; both frequency and duration by default when the model has times. */
  readonly arcs?: ArcLabels | undefined;
}

/** What DOT and SVG draw: the directly-follows graph for `dfg`, the Petri net otherwise. */
export function modelGraph(model: DiscoveredModel, options: RenderOptions = {}): Graph {
  return model.algorithm === "dfg"
    ? dfgGraph(model.dfg, options.arcs)
    : netGraph(model.net, model.dfg, {
        ...(options.arcs ? { arcs: options.arcs } : {}),
        ...(model.arcDurations ? { durations: model.arcDurations } : {}),
      });
}

export function renderModel(
  model: DiscoveredModel,
  format: ModelFormat,
  options: RenderOptions = {},
): string {
  switch (format) {
    case "json":
      return `${JSON.stringify(modelToJson(model), null, 2)}\n`;
    case "dot":
      return toDot(modelGraph(model, options));
    case "svg":
      return toSvg(modelGraph(model, options));
    case "pnml":
      return toPnml(model.net);
    case "bpmn":
      return toBpmn(model.net);
  }
}

/** Sizes for summaries and benchmarks. */
export function modelSize(model: DiscoveredModel) {
  return { ...netSize(model.net), dfgEdges: model.dfg.edges.length, activities: model.dfg.activities.length };
}
