import type { PetriNet } from "../../petri/index.ts";
import type { Dfg } from "../dfg.ts";
import type { Duration } from "../duration-stats.ts";
import type { HeuristicsNet } from "../heuristics.ts";
import { type ArcLabels, type ArcTime, arcText, resolveArcLabels } from "./arc-labels.ts";

/** A drawing-neutral graph: what DOT and our SVG renderer both draw. */
export type NodeShape = "box" | "place" | "silent" | "start" | "end";

export interface GraphNode {
  readonly id: string;
  readonly label: string;
  readonly shape: NodeShape;
  /** Tokens drawn in a place (initial marking), or a ring for a final place. */
  readonly tokens?: number;
  readonly final?: boolean;
}

export interface GraphEdge {
  readonly source: string;
  readonly target: string;
  readonly label?: string;
  /** The hover text: the times behind a duration label (median, P90, mean, how many pairs). */
  readonly title?: string;
  /** Relative thickness in [0, 1]. */
  readonly weight?: number;
}

export interface Graph {
  readonly name: string;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

/** What to draw on the arcs, and the times to draw (index for index with the net's arcs). */
export interface ArcOptions {
  readonly arcs?: ArcLabels;
  readonly durations?: readonly (Duration | null)[];
}

/**
 * The Petri net as a graph. With the log's directly-follows graph, each visible transition shows
 * how often its activity occurred, and the arcs touching it are as thick as that frequency (the
 * frequency annotation ProM and PM4Py users expect). With arc durations, the arcs into visible
 * transitions say how long the step waited after the event before it ("12× · 4.2 s": 12 firings,
 * median 4.2 s), unless `arcs` is `frequency`.
 */
export function netGraph(net: PetriNet, dfg?: Dfg, options: ArcOptions = {}): Graph {
  const mode = resolveArcLabels(options.arcs, options.durations?.some((d) => d !== null) ?? false);
  const counts = new Map((dfg?.activities ?? []).map((a) => [a.name, a.count]));
  const max = Math.max(1, ...counts.values());
  const countOf = (t: number): number | undefined => {
    const label = net.transitions[t]?.label;
    return label == null ? undefined : counts.get(label);
  };
  const initial = new Map(net.initialMarking.map((m) => [m.place, m.tokens]));
  const final = new Set(net.finalMarking.map((m) => m.place));
  const nodes: GraphNode[] = [
    ...net.places.map((p, i) => {
      const tokens = initial.get(i);
      return {
        id: p.id,
        label: "",
        shape: "place" as const,
        ...(tokens ? { tokens } : {}),
        ...(final.has(i) ? { final: true } : {}),
      };
    }),
    ...net.transitions.map((t, i) => {
      if (t.label === null) return { id: t.id, label: "", shape: "silent" as const };
      const n = countOf(i);
      return { id: t.id, label: n === undefined ? t.label : `${t.label} (${n})`, shape: "box" as const };
    }),
  ];
  const edges = net.arcs.map((a, i) => {
    const p = net.places[a.place]?.id as string;
    const t = net.transitions[a.transition]?.id as string;
    const n = countOf(a.transition);
    const time = mode === "frequency" ? undefined : options.durations?.[i];
    // A weight other than 1 is part of the net itself and stays on the arc, before any time.
    const timed = time ? arcText(mode, n, time) : {};
    const label = [a.weight === 1 ? undefined : String(a.weight), timed.label].filter(Boolean).join(" · ");
    const extra = {
      ...(label ? { label } : {}),
      ...(timed.title ? { title: timed.title } : {}),
      ...(n === undefined ? {} : { weight: n / max }),
    };
    return a.toTransition ? { source: p, target: t, ...extra } : { source: t, target: p, ...extra };
  });
  return { name: net.name, nodes, edges };
}

/**
 * Activities with their counts; edges with their counts and, when the log had timestamps, the
 * median time between the two events ("12× · 4.2 s", or as `arcs` says); a start and an end node.
 */
export function dfgGraph(dfg: Dfg, arcs?: ArcLabels): Graph {
  const mode = resolveArcLabels(
    arcs,
    dfg.edges.some((e) => e.medianMs !== null),
  );
  const ids = new Map(dfg.activities.map((a, i) => [a.name, `a${i}`]));
  const max = Math.max(1, ...dfg.edges.map((e) => e.count));
  const nodes: GraphNode[] = [
    { id: "start", label: "", shape: "start" },
    ...dfg.activities.map((a) => ({
      id: ids.get(a.name) as string,
      label: `${a.name} (${a.count})`,
      shape: "box" as const,
    })),
    { id: "end", label: "", shape: "end" },
  ];
  const edges: GraphEdge[] = [
    ...Object.entries(dfg.start).map(([a, n]) => ({
      source: "start",
      target: ids.get(a) as string,
      label: String(n),
      weight: n / max,
    })),
    ...dfg.edges.map((e) => ({
      source: ids.get(e.source) as string,
      target: ids.get(e.target) as string,
      ...arcText(mode, e.count, edgeTime(e)),
      weight: e.count / max,
    })),
    ...Object.entries(dfg.end).map(([a, n]) => ({
      source: ids.get(a) as string,
      target: "end",
      label: String(n),
      weight: n / max,
    })),
  ];
  return { name: "directly-follows graph", nodes, edges };
}

/** An edge's times (a model stored before P90s were kept has only the median and mean). */
function edgeTime(e: Dfg["edges"][number]): ArcTime | null {
  if (e.medianMs === null) return null;
  return {
    count: e.timed ?? e.count,
    medianMs: e.medianMs,
    p90Ms: e.p90Ms ?? undefined,
    meanMs: e.meanMs ?? undefined,
  };
}

/** The dependency graph with dependency measures on the edges. */
export function heuristicsGraph(hn: HeuristicsNet): Graph {
  const ids = new Map(hn.activities.map((a, i) => [a.name, `a${i}`]));
  const nodes: GraphNode[] = [
    { id: "start", label: "", shape: "start" },
    ...hn.activities.map((a) => ({
      id: ids.get(a.name) as string,
      label: `${a.name} (${a.count})`,
      shape: "box" as const,
    })),
    { id: "end", label: "", shape: "end" },
  ];
  const edges: GraphEdge[] = [
    ...Object.keys(hn.start).map((a) => ({ source: "start", target: ids.get(a) as string })),
    ...hn.edges.map((e) => ({
      source: ids.get(e.source) as string,
      target: ids.get(e.target) as string,
      label: `${e.dependency} (${e.count})`,
    })),
    ...Object.keys(hn.end).map((a) => ({ source: ids.get(a) as string, target: "end" })),
  ];
  return { name: "heuristics net", nodes, edges };
}
