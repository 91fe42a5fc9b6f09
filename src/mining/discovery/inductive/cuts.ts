import type { LocalDfg } from "./sublog.ts";

/** A cut: the operator and the groups of local activity numbers, in the operator's order. */
export interface Cut {
  readonly op: "xor" | "seq" | "and" | "loop";
  readonly groups: number[][];
}

class UnionFind {
  readonly parent: number[];
  constructor(n: number) {
    this.parent = Array.from({ length: n }, (_, i) => i);
  }
  find(x: number): number {
    let r = x;
    while (this.parent[r] !== r) r = this.parent[r] as number;
    while (this.parent[x] !== r) {
      const next = this.parent[x] as number;
      this.parent[x] = r;
      x = next;
    }
    return r;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
  groups(members: readonly number[]): number[][] {
    const by = new Map<number, number[]>();
    for (const m of members) {
      const r = this.find(m);
      by.set(r, [...(by.get(r) ?? []), m]);
    }
    return [...by.values()];
  }
}

const has = (dfg: LocalDfg, a: number, b: number) => (dfg.edge[a * dfg.n + b] as number) > 0;
const all = (dfg: LocalDfg) => Array.from({ length: dfg.n }, (_, i) => i);

/** Exclusive choice: the connected components of the graph, ignoring direction. */
export function xorCut(dfg: LocalDfg): Cut | null {
  const uf = new UnionFind(dfg.n);
  for (let a = 0; a < dfg.n; a++) for (let b = 0; b < dfg.n; b++) if (has(dfg, a, b)) uf.union(a, b);
  const groups = uf.groups(all(dfg));
  return groups.length > 1 ? { op: "xor", groups } : null;
}

/** For each activity, the activities reachable from it by one or more edges. */
export function reachability(dfg: LocalDfg): Uint8Array {
  const { n } = dfg;
  const successors: number[][] = Array.from({ length: n }, () => []);
  for (let a = 0; a < n; a++)
    for (let b = 0; b < n; b++) if (has(dfg, a, b)) (successors[a] as number[]).push(b);
  const reach = new Uint8Array(n * n);
  const stack: number[] = [];
  for (let s = 0; s < n; s++) {
    stack.push(s);
    while (stack.length > 0) {
      const a = stack.pop() as number;
      for (const b of successors[a] as number[]) {
        if (reach[s * n + b] === 0) {
          reach[s * n + b] = 1;
          stack.push(b);
        }
      }
    }
  }
  return reach;
}

/**
 * Sequence: activities that reach each other belong together, and so do those that neither
 * reaches; the groups must then be totally ordered by reachability.
 */
export function seqCut(dfg: LocalDfg): Cut | null {
  const { n } = dfg;
  const reach = reachability(dfg);
  const r = (a: number, b: number) => reach[a * n + b] === 1;
  const uf = new UnionFind(n);
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      if (r(a, b) === r(b, a)) uf.union(a, b);
    }
  }
  const groups = uf.groups(all(dfg));
  if (groups.length < 2) return null;
  // Order: g before h when g's activities reach h's.
  const before = (g: number[], h: number[]) =>
    r(g[0] as number, h[0] as number) && !r(h[0] as number, g[0] as number);
  groups.sort((g, h) => (before(g, h) ? -1 : before(h, g) ? 1 : 0));
  for (let i = 0; i < groups.length; i++) {
    for (let j = i + 1; j < groups.length; j++) {
      for (const a of groups[i] as number[]) {
        for (const b of groups[j] as number[]) {
          if (!r(a, b) || r(b, a)) return null;
        }
      }
    }
  }
  return { op: "seq", groups };
}

/**
 * The strict sequence cut (Leemans, "Robust Process Mining with Guarantees", 2017, §7.3): the
 * sequence cut, then a group that can be skipped (an edge jumps over it, a start activity comes
 * after it or an end activity before it) absorbs its neighbours that are only ever left into it
 * or entered from it. Without this, `a` then `b c d` or nothing gives `->( a, X( τ, b ),
 * X( τ, c ), X( τ, d ) )`, which lets `c` or `d` run without `b`; with it, `->( a, X( τ, ->( b, c,
 * d ) ) )`, skipped as one.
 */
export function strictSeqCut(dfg: LocalDfg): Cut | null {
  const cut = seqCut(dfg);
  if (cut === null) return null;
  const groups = cut.groups.map((g) => [...g]);
  const k = groups.length;
  const groupOf = new Int32Array(dfg.n);
  groups.forEach((g, i) => {
    for (const a of g) groupOf[a] = i;
  });
  const isStart = (a: number) => (dfg.start[a] as number) > 0;
  const isEnd = (a: number) => (dfg.end[a] as number) > 0;
  // For each group: the earliest group with an edge into it (−∞ when it holds a start activity),
  // and the latest group it has an edge to (+∞ when it holds an end activity).
  const from = groups.map((g) => (g.some(isStart) ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY));
  const to = groups.map((g) => (g.some(isEnd) ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY));
  const edges: [number, number][] = [];
  for (let a = 0; a < dfg.n; a++) {
    for (let b = 0; b < dfg.n; b++) {
      if (!has(dfg, a, b)) continue;
      edges.push([a, b]);
      const ga = groupOf[a] as number;
      const gb = groupOf[b] as number;
      from[gb] = Math.min(from[gb] as number, ga);
      to[ga] = Math.max(to[ga] as number, gb);
    }
  }
  const skippable = (p: number) => {
    for (const [a, b] of edges) if ((groupOf[a] as number) < p && (groupOf[b] as number) > p) return true;
    for (let a = 0; a < dfg.n; a++) {
      if (isStart(a) && (groupOf[a] as number) > p) return true;
      if (isEnd(a) && (groupOf[a] as number) < p) return true;
    }
    return false;
  };
  // Skippability is judged on the groups as they are when p's turn comes, like the thesis.
  const merge = (p: number, q: number) => {
    for (const a of groups[q] as number[]) groupOf[a] = p;
    (groups[p] as number[]).push(...(groups[q] as number[]));
    groups[q] = [];
  };
  for (let p = 0; p < k; p++) {
    if ((groups[p] as number[]).length === 0 || !skippable(p)) continue;
    for (let q = p - 1; q >= 0 && (to[q] as number) <= p; q--) merge(p, q);
    for (let q = p + 1; q < k && (from[q] as number) >= p; q++) merge(p, q);
  }
  const merged = groups.filter((g) => g.length > 0);
  return merged.length > 1 ? { op: "seq", groups: merged } : null;
}

/**
 * Parallel: two activities are in different groups only when each directly follows the other;
 * every group needs a start and an end activity (groups without are merged).
 */
export function andCut(dfg: LocalDfg): Cut | null {
  const { n } = dfg;
  const uf = new UnionFind(n);
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      if (!(has(dfg, a, b) && has(dfg, b, a))) uf.union(a, b);
    }
  }
  const groups = uf.groups(all(dfg));
  if (groups.length < 2) return null;
  const complete = (g: number[]) =>
    g.some((a) => (dfg.start[a] as number) > 0) && g.some((a) => (dfg.end[a] as number) > 0);
  const ok = groups.filter(complete);
  const rest = groups.filter((g) => !complete(g)).flat();
  if (rest.length > 0) {
    if (complete(rest)) ok.push(rest);
    else if (ok.length > 0) ok[0] = [...(ok[0] as number[]), ...rest];
    else return null;
  }
  return ok.length > 1 ? { op: "and", groups: ok } : null;
}

/**
 * Loop: the body holds every start and end activity; each other connected part is a redo part
 * when it is entered only from end activities (from all of them) and left only to start
 * activities (to all of them). Parts that are not are folded into the body.
 */
export function loopCut(dfg: LocalDfg): Cut | null {
  const { n } = dfg;
  const isStart = (a: number) => (dfg.start[a] as number) > 0;
  const isEnd = (a: number) => (dfg.end[a] as number) > 0;
  const inBody = new Uint8Array(n);
  for (let a = 0; a < n; a++) if (isStart(a) || isEnd(a)) inBody[a] = 1;
  const uf = new UnionFind(n);
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      if (has(dfg, a, b) && inBody[a] === 0 && inBody[b] === 0) uf.union(a, b);
    }
  }
  const others = all(dfg).filter((a) => inBody[a] === 0);
  if (others.length === 0) return null;
  const starts = all(dfg).filter(isStart);
  const ends = all(dfg).filter(isEnd);
  const body = all(dfg).filter((a) => inBody[a] === 1);
  const redos: number[][] = [];
  for (const part of uf.groups(others)) {
    let redo = true;
    for (const a of part) {
      // Leaving the part: only into start activities of the body, and then into all of them.
      let toStart = false;
      for (let b = 0; b < n && redo; b++) {
        if (inBody[b] === 1 && has(dfg, a, b)) {
          if (!isStart(b)) redo = false;
          toStart = true;
        }
      }
      if (redo && toStart && !starts.every((s) => has(dfg, a, s))) redo = false;
      // Entering the part: only from end activities of the body, and then from all of them.
      let fromEnd = false;
      for (let b = 0; b < n && redo; b++) {
        if (inBody[b] === 1 && has(dfg, b, a)) {
          if (!isEnd(b)) redo = false;
          fromEnd = true;
        }
      }
      if (redo && fromEnd && !ends.every((e) => has(dfg, e, a))) redo = false;
      if (!redo) break;
    }
    // A part the body never enters or never returns to is no redo part.
    const entered = part.some((a) => body.some((b) => has(dfg, b, a)));
    const left = part.some((a) => body.some((b) => has(dfg, a, b)));
    if (!entered || !left) redo = false;
    if (redo) redos.push(part);
    else body.push(...part);
  }
  if (redos.length === 0) return null;
  return { op: "loop", groups: [body, ...redos] };
}

/** The first cut that applies, in the inductive miner's order. */
export function findCut(dfg: LocalDfg): Cut | null {
  if (dfg.n < 2) return null;
  return xorCut(dfg) ?? strictSeqCut(dfg) ?? andCut(dfg) ?? loopCut(dfg);
}
