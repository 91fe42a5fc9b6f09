import type { EventLog } from "../eventlog/index.ts";
import { type PetriNet, PetriNetBuilder } from "../petri/index.ts";
import { byActivity, type Classifier } from "./dfg.ts";

export interface HeuristicsOptions {
  /** Keep `a → b` when its dependency measure reaches this (0.5 by default). */
  readonly dependencyThreshold?: number;
  /** …and `a` was directly followed by `b` at least this often (1). */
  readonly minObservations?: number;
  /** Two parallel successors (predecessors) form an AND split (join) when the AND measure reaches this (0.3). */
  readonly andThreshold?: number;
  /** Keep a length-two loop `a b a` when its measure reaches this (0.5). */
  readonly loopTwoThreshold?: number;
  readonly classify?: Classifier;
}

export interface HeuristicsEdge {
  readonly source: string;
  readonly target: string;
  readonly count: number;
  readonly dependency: number;
}

/** The dependency graph with its split and join bindings (each binding fires together; bindings are alternatives). */
export interface HeuristicsNet {
  readonly activities: { readonly name: string; readonly count: number }[];
  readonly start: Record<string, number>;
  readonly end: Record<string, number>;
  readonly edges: HeuristicsEdge[];
  readonly splits: Record<string, string[][]>;
  readonly joins: Record<string, string[][]>;
}

const START = "\u25b6";
const END = "\u25a0";

/**
 * The heuristics miner: a dependency graph from directly-follows counts,
 * `a ⇒ b = (|a>b| − |b>a|) / (|a>b| + |b>a| + 1)`, `a ⇒ a = |a>a| / (|a>a| + 1)`, length-two loops
 * from `a b a` patterns, every activity kept connected to its best predecessor and successor.
 * Two activities are parallel when each directly followed the other and neither depends on the
 * other; an activity's splits (joins) are then the maximal sets of pairwise parallel successors
 * (predecessors), which are alternatives to each other. Deterministic: activities in name order.
 *
 * @example
 * const { net, petri } = heuristicsMiner(log, { dependencyThreshold: 0.5 });
 */
export function heuristicsMiner(
  log: EventLog,
  options: HeuristicsOptions = {},
): { net: HeuristicsNet; petri: PetriNet } {
  const depThreshold = options.dependencyThreshold ?? 0.5;
  const minObs = options.minObservations ?? 1;
  const l2Threshold = options.loopTwoThreshold ?? 0.5;
  const andThreshold = options.andThreshold ?? 0.3;
  const classify = options.classify ?? byActivity;

  const count = new Map<string, number>();
  const follows = new Map<string, number>();
  const twice = new Map<string, number>();
  const start = new Map<string, number>();
  const end = new Map<string, number>();
  const key = (a: string, b: string) => `${a}\u0000${b}`;
  const inc = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const c of log.cases) {
    const t = c.events.map(classify);
    if (t.length === 0) continue;
    inc(start, t[0] as string);
    inc(end, t.at(-1) as string);
    t.forEach((a, i) => {
      inc(count, a);
      if (i > 0) inc(follows, key(t[i - 1] as string, a));
      if (i > 1 && t[i - 2] === a && t[i - 1] !== a) inc(twice, key(a, t[i - 1] as string));
    });
  }
  const acts = [...count.keys()].sort();
  const f = (a: string, b: string) => follows.get(key(a, b)) ?? 0;
  const dependency = (a: string, b: string) =>
    a === b ? f(a, a) / (f(a, a) + 1) : (f(a, b) - f(b, a)) / (f(a, b) + f(b, a) + 1);
  const round = (x: number) => Math.round(x * 1000) / 1000;

  const edges = new Map<string, HeuristicsEdge>();
  const addEdge = (a: string, b: string, dep = dependency(a, b)) => {
    if (!edges.has(key(a, b)))
      edges.set(key(a, b), { source: a, target: b, count: f(a, b), dependency: round(dep) });
  };
  for (const a of acts) {
    for (const b of acts) {
      if (f(a, b) >= minObs && dependency(a, b) >= depThreshold) addEdge(a, b);
    }
  }
  const selfLoop = (a: string) => edges.has(key(a, a));
  for (const a of acts) {
    for (const b of acts) {
      if (a >= b || selfLoop(a) || selfLoop(b)) continue;
      const ab = twice.get(key(a, b)) ?? 0;
      const ba = twice.get(key(b, a)) ?? 0;
      const l2 = (ab + ba) / (ab + ba + 1);
      if (l2 >= l2Threshold && f(a, b) > 0 && f(b, a) > 0) {
        addEdge(a, b, l2);
        addEdge(b, a, l2);
      }
    }
  }
  // Every activity keeps its best predecessor (unless it starts cases) and successor (unless it ends them).
  for (const b of acts) {
    const incoming = [...edges.values()].some((e) => e.target === b && e.source !== b);
    if (!incoming && !start.has(b)) {
      const best = acts
        .filter((a) => a !== b && f(a, b) > 0)
        .sort((x, y) => dependency(y, b) - dependency(x, b))[0];
      if (best !== undefined) addEdge(best, b);
    }
    const outgoing = [...edges.values()].some((e) => e.source === b && e.target !== b);
    if (!outgoing && !end.has(b)) {
      const best = acts
        .filter((c) => c !== b && f(b, c) > 0)
        .sort((x, y) => dependency(b, y) - dependency(b, x))[0];
      if (best !== undefined) addEdge(b, best);
    }
  }

  const edgeList = [...edges.values()].sort((x, y) =>
    key(x.source, x.target).localeCompare(key(y.source, y.target)),
  );
  const successors = (a: string) => edgeList.filter((e) => e.source === a).map((e) => e.target);
  const predecessors = (b: string) => edgeList.filter((e) => e.target === b).map((e) => e.source);
  const splits: Record<string, string[][]> = {};
  const joins: Record<string, string[][]> = {};
  const parallel = (x: string, y: string) =>
    f(x, y) > 0 && f(y, x) > 0 && !edges.has(key(x, y)) && !edges.has(key(y, x));
  for (const a of acts) {
    // Parallel, and interleaved often enough for a's own flow (the AND measure).
    const andOut = (x: string, y: string) =>
      parallel(x, y) && (f(x, y) + f(y, x)) / (f(a, x) + f(a, y) + 1) >= andThreshold;
    const andIn = (x: string, y: string) =>
      parallel(x, y) && (f(x, y) + f(y, x)) / (f(x, a) + f(y, a) + 1) >= andThreshold;
    splits[a] = maximalCliques(successors(a), andOut);
    if (end.has(a)) splits[a].push([END]);
    joins[a] = maximalCliques(predecessors(a), andIn);
    if (start.has(a)) joins[a].push([START]);
  }
  const net: HeuristicsNet = {
    activities: acts.map((name) => ({ name, count: count.get(name) ?? 0 })),
    start: Object.fromEntries([...start].sort((x, y) => y[1] - x[1])),
    end: Object.fromEntries([...end].sort((x, y) => y[1] - x[1])),
    edges: edgeList,
    splits,
    joins,
  };
  return { net, petri: heuristicsToPetri(net) };
}

/**
 * The maximal sets of pairwise related nodes (Bron–Kerbosch with pivoting), in a stable order.
 * Past 20 nodes every node is its own set: exclusive choices only, rather than an exponential search.
 */
function maximalCliques(nodes: string[], related: (a: string, b: string) => boolean): string[][] {
  if (nodes.length === 0) return [];
  if (nodes.length > 20) return nodes.map((n) => [n]);
  const out: string[][] = [];
  const neighbours = (n: string) => nodes.filter((m) => m !== n && related(n, m));
  const grow = (r: string[], p: string[], x: string[]) => {
    if (p.length === 0 && x.length === 0) {
      out.push([...r].sort());
      return;
    }
    const pivot = [...p, ...x][0] as string;
    const pivotN = new Set(neighbours(pivot));
    for (const v of p.filter((n) => !pivotN.has(n))) {
      const nv = new Set(neighbours(v));
      grow(
        [...r, v],
        p.filter((n) => nv.has(n)),
        x.filter((n) => nv.has(n)),
      );
      p = p.filter((n) => n !== v);
      x = [...x, v];
    }
  };
  grow([], [...nodes], []);
  return out.sort((a, b) => a.join("\u0000").localeCompare(b.join("\u0000")));
}

/**
 * The Petri net of a heuristics net: a place per dependency edge; an activity with several
 * bindings chooses one through silent transitions, a single binding connects directly.
 */
export function heuristicsToPetri(hn: HeuristicsNet): PetriNet {
  const b = new PetriNetBuilder("heuristics");
  const source = b.place("source");
  const sink = b.place("sink");
  const edgePlace = new Map<string, number>();
  const placeFor = (from: string, to: string) => {
    const k = `${from}\u0000${to}`;
    let p = edgePlace.get(k);
    if (p === undefined) {
      p = b.place(`(${from}, ${to})`);
      edgePlace.set(k, p);
    }
    return p;
  };
  // The artificial start and end are silent transitions out of the source and into the sink.
  const startT = b.transition(null, "start");
  b.input(source, startT);
  const endT = b.transition(null, "end");
  b.output(endT, sink);
  const startBindings = Object.keys(hn.start).map((s) => [s]);
  const endBindings = Object.keys(hn.end).map((e) => [e]);
  const wire = (t: number, name: string, outputs: string[][], inputs: string[][]) => {
    if (outputs.length === 1) for (const to of outputs[0] as string[]) b.output(t, placeFor(name, to));
    else if (outputs.length > 1) {
      const out = b.place(`out(${name})`);
      b.output(t, out);
      for (const binding of outputs) {
        const choose = b.transition(null);
        b.input(out, choose);
        for (const to of binding) b.output(choose, placeFor(name, to));
      }
    }
    if (inputs.length === 1) for (const from of inputs[0] as string[]) b.input(placeFor(from, name), t);
    else if (inputs.length > 1) {
      const inp = b.place(`in(${name})`);
      b.input(inp, t);
      for (const binding of inputs) {
        const choose = b.transition(null);
        b.output(choose, inp);
        for (const from of binding) b.input(placeFor(from, name), choose);
      }
    }
  };
  wire(startT, START, startBindings, []);
  wire(endT, END, [], endBindings);
  for (const { name } of hn.activities) {
    wire(b.transition(name), name, hn.splits[name] ?? [], hn.joins[name] ?? []);
  }
  return b.build([{ place: source, tokens: 1 }], [{ place: sink, tokens: 1 }]);
}
