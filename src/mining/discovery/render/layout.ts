import type { Graph, GraphNode } from "./graph.ts";

/** Where everything goes: node centres and sizes, and each edge as a list of points. */
export interface Layout {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly { readonly node: GraphNode; x: number; y: number; w: number; h: number }[];
  readonly edges: readonly {
    readonly index: number;
    readonly points: { x: number; y: number }[];
    readonly back: boolean;
  }[];
}

const CHAR_WIDTH = 6.6;
const LAYER_GAP = 56;
const NODE_GAP = 22;
const MARGIN = 24;
/** Labels longer than this are cut in the drawing (the full text is in its tooltip). */
export const MAX_LABEL = 42;

export function displayLabel(label: string): string {
  return label.length > MAX_LABEL ? `${label.slice(0, MAX_LABEL - 1)}\u2026` : label;
}

function size(n: GraphNode): { w: number; h: number } {
  switch (n.shape) {
    case "box":
      return { w: Math.max(56, displayLabel(n.label).length * CHAR_WIDTH + 20), h: 30 };
    case "silent":
      return { w: 10, h: 30 };
    case "place":
      return { w: 24, h: 24 };
    default:
      return { w: 20, h: 20 };
  }
}

/**
 * A layered drawing, left to right (the Sugiyama scheme, kept simple): cycles are broken by
 * reversing the back edges of a depth-first search, nodes are layered by longest path, long edges
 * get a dummy node per layer they cross, barycentre sweeps order each layer to reduce crossings,
 * and the layers are stacked and centred.
 */
export function layout(graph: Graph): Layout {
  const n = graph.nodes.length;
  const index = new Map(graph.nodes.map((node, i) => [node.id, i]));
  const edges = graph.edges
    .map((e, i) => ({ i, s: index.get(e.source) as number, t: index.get(e.target) as number }))
    .filter((e) => e.s !== undefined && e.t !== undefined);
  // 1. Break cycles (Eades, Lin and Smyth's greedy ordering, by edge weight): take sinks to the
  // end and sources to the front, else the node whose outgoing weight most exceeds its incoming;
  // the edges that then point backwards are reversed, and they are the light ones.
  const weightOf = (i: number) => 1 + 10 * (graph.edges[i]?.weight ?? 0);
  const outW = new Float64Array(n);
  const inW = new Float64Array(n);
  const outDeg = new Int32Array(n);
  const inDeg = new Int32Array(n);
  for (const e of edges) {
    if (e.s === e.t) continue;
    outW[e.s] = (outW[e.s] as number) + weightOf(e.i);
    inW[e.t] = (inW[e.t] as number) + weightOf(e.i);
    outDeg[e.s] = (outDeg[e.s] as number) + 1;
    inDeg[e.t] = (inDeg[e.t] as number) + 1;
  }
  const removed = new Uint8Array(n);
  const front: number[] = [];
  const back: number[] = [];
  const drop = (v: number) => {
    removed[v] = 1;
    for (const e of edges) {
      if (e.s === e.t) continue;
      if (e.s === v && removed[e.t] === 0) {
        inW[e.t] = (inW[e.t] as number) - weightOf(e.i);
        inDeg[e.t] = (inDeg[e.t] as number) - 1;
      }
      if (e.t === v && removed[e.s] === 0) {
        outW[e.s] = (outW[e.s] as number) - weightOf(e.i);
        outDeg[e.s] = (outDeg[e.s] as number) - 1;
      }
    }
  };
  for (let left = n; left > 0; ) {
    let progressed = true;
    while (progressed) {
      progressed = false;
      for (let v = 0; v < n; v++) {
        if (removed[v] === 0 && outDeg[v] === 0 && graph.nodes[v]?.shape !== "start") {
          back.unshift(v);
          drop(v);
          left--;
          progressed = true;
        } else if (removed[v] === 0 && inDeg[v] === 0) {
          front.push(v);
          drop(v);
          left--;
          progressed = true;
        }
      }
    }
    if (left === 0) break;
    // Among the nodes the ordered part leads to (when there are any), so the order follows the flow.
    const reached = new Uint8Array(n);
    for (const e of edges) if (removed[e.s] === 1 && removed[e.t] === 0) reached[e.t] = 1;
    const anyReached = reached.some((x) => x === 1);
    let best = -1;
    for (let v = 0; v < n; v++) {
      if (removed[v] !== 0 || (anyReached && reached[v] === 0)) continue;
      const score = (outW[v] as number) - (inW[v] as number);
      if (best === -1 || score > (outW[best] as number) - (inW[best] as number)) best = v;
    }
    front.push(best);
    drop(best);
    left--;
  }
  const order = new Int32Array(n);
  [...front, ...back].forEach((v, k) => {
    order[v] = k;
  });
  const isBack = (e: { s: number; t: number }) => (order[e.s] as number) > (order[e.t] as number);
  const dag = edges
    .filter((e) => e.s !== e.t)
    .map((e) => (isBack(e) ? { ...e, s: e.t, t: e.s, rev: true } : { ...e, rev: false }));

  // 2. Longest-path layering.
  const layer = new Int32Array(n);
  const indeg = new Int32Array(n);
  const dagOut: number[][] = Array.from({ length: n }, () => []);
  for (const e of dag) {
    (dagOut[e.s] as number[]).push(e.t);
    indeg[e.t] = (indeg[e.t] as number) + 1;
  }
  const queue = [...Array(n).keys()].filter((v) => indeg[v] === 0);
  for (let q = 0; q < queue.length; q++) {
    const v = queue[q] as number;
    for (const w of dagOut[v] as number[]) {
      layer[w] = Math.max(layer[w] as number, (layer[v] as number) + 1);
      indeg[w] = (indeg[w] as number) - 1;
      if (indeg[w] === 0) queue.push(w);
    }
  }

  // 3. Dummy nodes along long edges.
  const layerOf: number[] = [...layer];
  const chains = dag.map((e) => {
    const chain = [e.s];
    for (let l = (layer[e.s] as number) + 1; l < (layer[e.t] as number); l++) {
      layerOf.push(l);
      chain.push(layerOf.length - 1);
    }
    chain.push(e.t);
    return chain;
  });
  const total = layerOf.length;
  const layers: number[][] = [];
  for (let v = 0; v < total; v++) {
    const l = layerOf[v] as number;
    if (layers[l] === undefined) layers[l] = [];
    (layers[l] as number[]).push(v);
  }
  const preds: number[][] = Array.from({ length: total }, () => []);
  const succs: number[][] = Array.from({ length: total }, () => []);
  for (const chain of chains) {
    for (let k = 1; k < chain.length; k++) {
      (succs[chain[k - 1] as number] as number[]).push(chain[k] as number);
      (preds[chain[k] as number] as number[]).push(chain[k - 1] as number);
    }
  }

  // 4. Barycentre ordering.
  const pos = new Float64Array(total);
  for (const l of layers) {
    l?.forEach((v, i) => {
      pos[v] = i;
    });
  }
  const sweep = (l: number[], neighbours: number[][]) => {
    const bary = new Map<number, number>();
    for (const v of l) {
      const ns = neighbours[v] as number[];
      bary.set(
        v,
        ns.length === 0 ? (pos[v] as number) : ns.reduce((s, w) => s + (pos[w] as number), 0) / ns.length,
      );
    }
    l.sort(
      (a, b) => (bary.get(a) as number) - (bary.get(b) as number) || (pos[a] as number) - (pos[b] as number),
    );
    l.forEach((v, i) => {
      pos[v] = i;
    });
  };
  for (let iter = 0; iter < 12; iter++) {
    for (let i = 1; i < layers.length; i++) sweep(layers[i] ?? [], preds);
    for (let i = layers.length - 2; i >= 0; i--) sweep(layers[i] ?? [], succs);
  }

  // 5. Coordinates.
  const sizes = [...graph.nodes.map(size), ...Array.from({ length: total - n }, () => ({ w: 0, h: 8 }))];
  const x = new Float64Array(total);
  const y = new Float64Array(total);
  let offset = MARGIN;
  const heights = layers.map(
    (l) => (l ?? []).reduce((s, v) => s + (sizes[v]?.h ?? 0), 0) + NODE_GAP * ((l?.length ?? 1) - 1),
  );
  const maxHeight = Math.max(0, ...heights);
  const hasBack = dag.some((e) => e.rev) || edges.some((e) => e.s === e.t);
  const top = MARGIN + (hasBack ? 30 : 0);
  layers.forEach((l, i) => {
    const width = Math.max(0, ...(l ?? []).map((v) => sizes[v]?.w ?? 0));
    let cursor = top + (maxHeight - (heights[i] ?? 0)) / 2;
    for (const v of l ?? []) {
      const h = sizes[v]?.h ?? 0;
      x[v] = offset + width / 2;
      y[v] = cursor + h / 2;
      cursor += h + NODE_GAP;
    }
    offset += width + LAYER_GAP;
  });

  const routed = dag.map((e, k) => {
    const chain = chains[k] as number[];
    const pts = chain.map((v) => ({ x: x[v] as number, y: y[v] as number }));
    return { index: e.i, points: e.rev ? pts.reverse() : pts, back: e.rev };
  });
  for (const e of edges) {
    if (e.s === e.t)
      routed.push({ index: e.i, points: [{ x: x[e.s] as number, y: y[e.s] as number }], back: true });
  }
  return {
    width: Math.max(offset - LAYER_GAP + MARGIN, 2 * MARGIN),
    height: top + maxHeight + MARGIN + (hasBack ? 30 : 0),
    nodes: graph.nodes.map((node, i) => ({
      node,
      x: x[i] as number,
      y: y[i] as number,
      ...(sizes[i] as { w: number; h: number }),
    })),
    edges: routed,
  };
}
