import { type CompiledNet, compileNet, fireInPlace, isEnabled, type PetriNet } from "../petri/index.ts";
import { firingSequence, keyOf, MarkingGraph, startSet, stepSet } from "./marking-sets.ts";

/** The token counts of replaying one trace (PM4Py's and ProM's definition of token-based fitness). */
export interface TraceReplay {
  readonly produced: number;
  readonly consumed: number;
  readonly missing: number;
  readonly remaining: number;
  /** `½(1 − missing/consumed) + ½(1 − remaining/produced)` */
  readonly fitness: number;
  /** Activities that no transition of the net has: counted as a missing token each, never ignored. */
  readonly unknown: readonly string[];
}

export interface LogReplay {
  readonly traces: number;
  readonly fittingTraces: number;
  /** Over the sums of the whole log: `½(1 − Σm/Σc) + ½(1 − Σr/Σp)`. */
  readonly logFitness: number;
  readonly averageTraceFitness: number;
}

/** How far the search for silent transitions that enable the next activity may go. */
const MAX_SILENT_STATES = 2_000;

/**
 * Token-based replay of one trace on a net. A trace the net can produce is replayed along a firing
 * sequence that produces it (found over every marking each prefix can reach), so it never shows a
 * missing or remaining token, whatever silent choices the net has. Any other trace is replayed as
 * PM4Py and ProM do: fire each activity's transition, first letting silent transitions move
 * tokens when that enables it (shortest such sequence), else creating the missing tokens; at the
 * end, silent transitions may lead to the final marking, whose tokens are consumed; what is left
 * over remains.
 */
export function replayTrace(net: PetriNet | CompiledNet, trace: readonly string[]): TraceReplay {
  const cn = "prePlaces" in net ? net : compileNet(net);
  // The greedy replay is fast and right for most traces; only when it sees a deviation is the
  // exact search asked whether a better choice of transitions fits.
  const greedy = greedyReplay(cn, trace);
  if (greedy.missing === 0 && greedy.remaining === 0) return greedy;
  if (graphOf(cn).fits(trace) === false) return greedy;
  const fitting = fittingSequence(cn, trace);
  return fitting === undefined ? greedy : replaySequence(cn, fitting);
}

/** One marking graph per net, shared by the traces of a log (they reach the same markings). */
const graphs = new WeakMap<CompiledNet, MarkingGraph>();

function graphOf(cn: CompiledNet): MarkingGraph {
  let graph = graphs.get(cn);
  if (graph === undefined) {
    graph = new MarkingGraph(cn);
    graphs.set(cn, graph);
  }
  return graph;
}

/** A firing sequence from the initial to the final marking whose visible labels are the trace. */
function fittingSequence(cn: CompiledNet, trace: readonly string[]): number[] | undefined {
  let set = startSet(cn, cn.initial);
  for (const activity of trace) {
    if (set === undefined || set.size === 0) return undefined;
    set = stepSet(cn, set, activity);
  }
  const end = set?.get(keyOf(cn.final));
  return end === undefined ? undefined : firingSequence(end);
}

/** The token counts of a sequence that fires without missing tokens and ends in the final marking. */
function replaySequence(cn: CompiledNet, sequence: readonly number[]): TraceReplay {
  let produced = sum(cn.initial);
  let consumed = sum(cn.final);
  for (const t of sequence) {
    for (const w of cn.preWeights[t] as Int32Array) consumed += w;
    for (const w of cn.postWeights[t] as Int32Array) produced += w;
  }
  return { produced, consumed, missing: 0, remaining: 0, fitness: 1, unknown: [] };
}

function greedyReplay(cn: CompiledNet, trace: readonly string[]): TraceReplay {
  const marking = cn.initial.slice();
  let produced = sum(marking);
  let consumed = 0;
  let missing = 0;
  const unknown: string[] = [];
  const fire = (t: number) => {
    const pre = cn.prePlaces[t] as Int32Array;
    const w = cn.preWeights[t] as Int32Array;
    for (let i = 0; i < pre.length; i++) {
      const have = marking[pre[i] as number] as number;
      const need = w[i] as number;
      if (have < need) missing += need - Math.max(have, 0);
      consumed += need;
    }
    for (const x of cn.postWeights[t] as Int32Array) produced += x;
    fireInPlace(cn, marking, t);
    // Missing tokens were created just to be consumed: no place keeps a debt.
    for (const p of pre) if ((marking[p] as number) < 0) marking[p] = 0;
  };
  for (const activity of trace) {
    const candidates = cn.byLabel.get(activity);
    if (candidates === undefined) {
      unknown.push(activity);
      missing++;
      consumed++;
      continue;
    }
    let chosen = candidates.find((t) => isEnabled(cn, marking, t));
    if (chosen === undefined) {
      const path = cachedPath(cn, marking, activity, (m) => candidates.some((t) => isEnabled(cn, m, t)));
      if (path !== undefined) {
        for (const t of path) fire(t);
        chosen = candidates.find((t) => isEnabled(cn, marking, t));
      }
    }
    fire(chosen ?? leastMissing(cn, marking, candidates));
  }
  const toFinal = cachedPath(cn, marking, "\u0000end", (m) => coversFinal(cn, m));
  if (toFinal !== undefined) for (const t of toFinal) fire(t);
  let remaining = 0;
  for (let p = 0; p < marking.length; p++) {
    const want = cn.final[p] as number;
    const have = marking[p] as number;
    consumed += want;
    if (have < want) missing += want - have;
    else remaining += have - want;
  }
  const fitness =
    0.5 * (consumed === 0 ? 1 : 1 - missing / consumed) +
    0.5 * (produced === 0 ? 1 : 1 - remaining / produced);
  return { produced, consumed, missing, remaining, fitness, unknown };
}

/**
 * Replay a log given as traces of activity names; equal traces are replayed once.
 *
 * @example
 * replayLog(net, log.cases.map((c) => c.events.map((e) => e.activity))).logFitness; // e.g. 0.98
 */
export function replayLog(net: PetriNet | CompiledNet, traces: readonly (readonly string[])[]): LogReplay {
  const cn = "prePlaces" in net ? net : compileNet(net);
  const variants = new Map<string, { trace: readonly string[]; count: number }>();
  for (const t of traces) {
    const key = t.join("\u0000");
    const v = variants.get(key);
    if (v) v.count++;
    else variants.set(key, { trace: t, count: 1 });
  }
  let p = 0;
  let c = 0;
  let m = 0;
  let r = 0;
  let fitting = 0;
  let total = 0;
  for (const { trace, count } of variants.values()) {
    const x = replayTrace(cn, trace);
    p += x.produced * count;
    c += x.consumed * count;
    m += x.missing * count;
    r += x.remaining * count;
    total += x.fitness * count;
    if (x.missing === 0 && x.remaining === 0) fitting += count;
  }
  return {
    traces: traces.length,
    fittingTraces: fitting,
    logFitness: 0.5 * (c === 0 ? 1 : 1 - m / c) + 0.5 * (p === 0 ? 1 : 1 - r / p),
    averageTraceFitness: traces.length === 0 ? 1 : total / traces.length,
  };
}

function sum(a: Int32Array): number {
  let s = 0;
  for (const x of a) s += x;
  return s;
}

function coversFinal(cn: CompiledNet, m: Int32Array): boolean {
  for (let p = 0; p < m.length; p++) if ((m[p] as number) !== (cn.final[p] as number)) return false;
  return true;
}

/** The transition among `candidates` that lacks the fewest tokens now. */
function leastMissing(cn: CompiledNet, marking: Int32Array, candidates: readonly number[]): number {
  let best = candidates[0] as number;
  let bestMissing = Number.POSITIVE_INFINITY;
  for (const t of candidates) {
    const pre = cn.prePlaces[t] as Int32Array;
    const w = cn.preWeights[t] as Int32Array;
    let lack = 0;
    for (let i = 0; i < pre.length; i++)
      lack += Math.max(0, (w[i] as number) - (marking[pre[i] as number] as number));
    if (lack < bestMissing) {
      best = t;
      bestMissing = lack;
    }
  }
  return best;
}

/** Silent paths found per net, by marking and goal: traces of a log share most of their states. */
const pathCache = new WeakMap<CompiledNet, Map<string, number[] | null>>();

function cachedPath(
  cn: CompiledNet,
  marking: Int32Array,
  goalKey: string,
  goal: (m: Int32Array) => boolean,
): number[] | undefined {
  let cache = pathCache.get(cn);
  if (cache === undefined) {
    cache = new Map();
    pathCache.set(cn, cache);
  }
  const key = `${marking.join(",")}|${goalKey}`;
  const known = cache.get(key);
  if (known !== undefined) return known ?? undefined;
  const path = silentPath(cn, marking, goal);
  if (cache.size < 100_000) cache.set(key, path ?? null);
  return path;
}

/** The shortest sequence of silent transitions from `start` to a marking where `goal` holds. */
function silentPath(
  cn: CompiledNet,
  start: Int32Array,
  goal: (m: Int32Array) => boolean,
): number[] | undefined {
  if (cn.silent.length === 0) return undefined;
  const seen = new Set<string>([start.join(",")]);
  let frontier: { m: Int32Array; path: number[] }[] = [{ m: start, path: [] }];
  while (frontier.length > 0 && seen.size < MAX_SILENT_STATES) {
    const next: typeof frontier = [];
    for (const { m, path } of frontier) {
      for (const t of cn.silent) {
        if (!isEnabled(cn, m, t)) continue;
        const m2 = m.slice();
        fireInPlace(cn, m2, t);
        const key = m2.join(",");
        if (seen.has(key)) continue;
        seen.add(key);
        const p2 = [...path, t];
        if (goal(m2)) return p2;
        next.push({ m: m2, path: p2 });
      }
    }
    frontier = next;
  }
  return undefined;
}
