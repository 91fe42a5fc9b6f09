import type { PetriNet } from "../../petri/index.ts";
import type { Dfg } from "../dfg.ts";
import type { HeuristicsNet } from "../heuristics.ts";

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
  /** Relative thickness in [0, 1]. */
  readonly weight?: number;
}

export interface Graph {
  readonly name: string;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

/**
 * The Petri net as a graph. With the log's directly-follows graph, each visible transition shows
 * how often its activity occurred, and the arcs touching it are as thick as that frequency (the
 * frequency annotation ProM and PM4Py users expect; time is on the DFG's edges).
 */
export function netGraph(net: PetriNet, dfg?: Dfg): Graph {
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
  const edges = net.arcs.map((a) => {
    const p = net.places[a.place]?.id as string;
    const t = net.transitions[a.transition]?.id as string;
    const n = countOf(a.transition);
    const extra = {
      ...(a.weight === 1 ? {} : { label: String(a.weight) }),
      ...(n === undefined ? {} : { weight: n / max }),
    };
    return a.toTransition ? { source: p, target: t, ...extra } : { source: t, target: p, ...extra };
  });
  return { name: net.name, nodes, edges };
}

function human(ms: number | null): string {
  if (ms === null) return "";
  const s = ms / 1000;
  if (s < 60) return `${Math.round(s)}s`;
  if (s < 3600) return `${Math.round(s / 60)}m`;
  if (s < 86_400) return `${(s / 3600).toFixed(1)}h`;
  return `${(s / 86_400).toFixed(1)}d`;
}

/** Activities with their counts; edges with counts and median time; a start and an end node. */
export function dfgGraph(dfg: Dfg): Graph {
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
    ...dfg.edges.map((e) => {
      const time = human(e.medianMs);
      return {
        source: ids.get(e.source) as string,
        target: ids.get(e.target) as string,
        label: time ? `${e.count} · ${time}` : String(e.count),
        weight: e.count / max,
      };
    }),
    ...Object.entries(dfg.end).map(([a, n]) => ({
      source: ids.get(a) as string,
      target: "end",
      label: String(n),
      weight: n / max,
    })),
  ];
  return { name: "directly-follows graph", nodes, edges };
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
