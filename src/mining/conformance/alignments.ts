import { type CompiledNet, compileNet, type PetriNet } from "../petri/index.ts";
import type {
  AlignmentFailure,
  AlignmentOptions,
  LogAlignment,
  Move,
  TraceAlignment,
  VariantAlignment,
} from "./alignment-model.ts";
import { deviationsOf } from "./deviations.ts";
import { PriorityQueue } from "./priority-queue.ts";

/**
 * Costs inside the search: a deviation is worth DEVIATION, a silent step 1 — so among the
 * cheapest alignments (standard costs: log and model moves 1, sync and τ 0) the one with the
 * fewest silent steps is found, and the reported cost is the number of deviations.
 */
const DEVIATION = 100_000;
const TAU = 1;
/** Among equal estimates, deeper states (further along the trace) first: fitting traces go straight to the end. */
const DEPTH_SLOTS = 4096;

const DEFAULT_MAX_STATES = 200_000;

/**
 * An optimal alignment of one trace with the net: A* over (marking, position in the trace). The
 * heuristic counts the remaining events whose activity no transition has — each must be a log
 * move — so it never overestimates and the first goal reached is optimal.
 *
 * @example
 * const a = alignTrace(net, ["register request", "decide", "reject request"]);
 * a.cost; // 1 when one step was skipped
 * a.deviations; // [{ kind: "missing", activity: "examine casually", position: 1 }]
 */
export function alignTrace(
  net: PetriNet | CompiledNet,
  trace: readonly string[],
  options: AlignmentOptions = {},
): TraceAlignment | AlignmentFailure {
  const cn = "prePlaces" in net ? net : compileNet(net);
  const worst = modelCost(cn, options);
  if (worst === null) return { cost: null, reason: "the final marking cannot be reached", states: 0 };
  return search(cn, trace, worst + trace.length, options);
}

/** The cost of the cheapest run of the net from the initial to the final marking (visible steps); null if none. */
export function modelCost(cn: CompiledNet, options: AlignmentOptions = {}): number | null {
  let cost = emptyCost.get(cn);
  if (cost === undefined) {
    const a = search(cn, [], 0, options);
    cost = a.cost;
    emptyCost.set(cn, cost);
  }
  return cost;
}

const emptyCost = new WeakMap<CompiledNet, number | null>();

/**
 * Align every trace, one search per variant (equal activity sequences).
 *
 * @example
 * const result = alignLog(net, log.cases.map((c) => c.events.map((e) => e.activity)));
 * result.logFitness; // e.g. 0.9997
 */
export function alignLog(
  net: PetriNet | CompiledNet,
  traces: readonly (readonly string[])[],
  options: AlignmentOptions = {},
): LogAlignment {
  const cn = "prePlaces" in net ? net : compileNet(net);
  const byKey = new Map<string, { trace: readonly string[]; cases: number[] }>();
  traces.forEach((t, i) => {
    const key = t.join("\u0000");
    const v = byKey.get(key);
    if (v === undefined) byKey.set(key, { trace: t, cases: [i] });
    else v.cases.push(i);
  });
  const model = modelCost(cn, options);
  const variants: VariantAlignment[] = [];
  let cost = 0;
  let worst = 0;
  let fitnessSum = 0;
  let fitting = 0;
  let failed = 0;
  for (const { trace, cases } of byKey.values()) {
    const alignment: TraceAlignment | AlignmentFailure =
      model === null
        ? { cost: null, reason: "the final marking cannot be reached", states: 0 }
        : search(cn, trace, model + trace.length, options);
    variants.push({ trace, cases, alignment });
    const n = cases.length;
    if (alignment.cost === null) {
      failed += n;
      continue;
    }
    cost += alignment.cost * n;
    worst += alignment.worstCost * n;
    fitnessSum += alignment.fitness * n;
    if (alignment.cost === 0) fitting += n;
  }
  const aligned = traces.length - failed;
  return {
    traces: traces.length,
    variants,
    logFitness: worst === 0 ? 1 : 1 - cost / worst,
    averageFitness: aligned === 0 ? 1 : fitnessSum / aligned,
    fittingTraces: fitting,
    failedTraces: failed,
    modelCost: model ?? 0,
  };
}

/** A marking as a string key: one char per place (token counts stay far below 65 536). */
function markingKey(m: Int32Array): string {
  return String.fromCharCode.apply(null, m as unknown as number[]);
}

function search(
  cn: CompiledNet,
  trace: readonly string[],
  worstCost: number,
  options: AlignmentOptions,
): TraceAlignment | AlignmentFailure {
  const maxStates = options.maxStates ?? DEFAULT_MAX_STATES;
  const n = trace.length;
  // Events whose activity the net lacks are log moves whatever happens: the heuristic counts them.
  const forced = new Int32Array(n + 1);
  for (let i = n - 1; i >= 0; i--) {
    forced[i] = (forced[i + 1] as number) + (cn.byLabel.has(trace[i] as string) ? 0 : 1);
  }
  const syncOf: (readonly number[] | undefined)[] = trace.map((a) => cn.byLabel.get(a));
  const nT = cn.prePlaces.length;
  const labelled = new Uint8Array(nT);
  for (const ts of cn.byLabel.values()) for (const t of ts) labelled[t] = 1;
  const sourceless: number[] = [];
  for (let t = 0; t < nT; t++) if ((cn.prePlaces[t] as Int32Array).length === 0) sourceless.push(t);
  const finalKey = markingKey(cn.final);

  // States in flat arrays, by id.
  const markings: Int32Array[] = [];
  const keys: string[] = [];
  const positions: number[] = [];
  const g: number[] = [];
  const parent: number[] = [];
  const via: number[] = []; // transition, or -1 for a log move
  const closed: boolean[] = [];
  const index = new Map<string, number>();
  const queue = new PriorityQueue();
  // Lexicographic: estimated deviations, then the events still to align, then silent steps taken.
  const priority = (cost: number, pos: number) => {
    const deviations = Math.floor(cost / DEVIATION) + (forced[pos] as number);
    const taus = cost % DEVIATION;
    return (deviations * DEPTH_SLOTS + Math.min(n - pos, DEPTH_SLOTS - 1)) * DEVIATION + taus;
  };

  const offer = (m: Int32Array, mKey: string, pos: number, cost: number, from: number, move: number) => {
    const key = `${pos},${mKey}`;
    const known = index.get(key);
    if (known !== undefined) {
      if (closed[known] || (g[known] as number) <= cost) return;
      g[known] = cost;
      parent[known] = from;
      via[known] = move;
      queue.push(known, priority(cost, pos));
      return;
    }
    const id = markings.length;
    markings.push(m);
    keys.push(mKey);
    positions.push(pos);
    g.push(cost);
    parent.push(from);
    via.push(move);
    closed.push(false);
    index.set(key, id);
    queue.push(id, priority(cost, pos));
  };

  offer(cn.initial, markingKey(cn.initial), 0, 0, -1, -1);
  const stamp = new Int32Array(nT).fill(-1);
  let expanded = 0;
  while (queue.size > 0) {
    const id = queue.pop();
    if (closed[id]) continue;
    closed[id] = true;
    expanded++;
    const m = markings[id] as Int32Array;
    const pos = positions[id] as number;
    const cost = g[id] as number;
    if (pos === n && keys[id] === finalKey) {
      return result(cn, trace, id, { markings, positions, parent, via }, cost, worstCost, markings.length);
    }
    if (markings.length > maxStates) {
      return {
        cost: null,
        reason: `more than ${maxStates} search states (many deviations on a large net, or an unbounded net)`,
        states: markings.length,
      };
    }
    if (pos < n) offer(m, keys[id] as string, pos + 1, cost + DEVIATION, id, -1);
    const next = pos < n ? syncOf[pos] : undefined;
    // Candidate transitions: the consumers of marked places, and transitions without inputs.
    const visit = (t: number) => {
      if (stamp[t] === expanded) return;
      stamp[t] = expanded;
      const pre = cn.prePlaces[t] as Int32Array;
      const w = cn.preWeights[t] as Int32Array;
      for (let i = 0; i < pre.length; i++) if ((m[pre[i] as number] as number) < (w[i] as number)) return;
      const m2 = m.slice();
      for (let i = 0; i < pre.length; i++)
        m2[pre[i] as number] = (m2[pre[i] as number] as number) - (w[i] as number);
      const post = cn.postPlaces[t] as Int32Array;
      const pw = cn.postWeights[t] as Int32Array;
      for (let i = 0; i < post.length; i++)
        m2[post[i] as number] = (m2[post[i] as number] as number) + (pw[i] as number);
      const k2 = markingKey(m2);
      if (labelled[t] === 0) {
        offer(m2, k2, pos, cost + TAU, id, t);
        return;
      }
      offer(m2, k2, pos, cost + DEVIATION, id, t);
      if (next?.includes(t)) offer(m2, k2, pos + 1, cost, id, t);
    };
    for (let p = 0; p < m.length; p++) {
      if ((m[p] as number) <= 0) continue;
      for (const t of cn.consumers[p] as Int32Array) visit(t);
    }
    for (const t of sourceless) visit(t);
  }
  return { cost: null, reason: "the final marking cannot be reached", states: markings.length };
}

function result(
  cn: CompiledNet,
  trace: readonly string[],
  goal: number,
  states: { markings: Int32Array[]; positions: number[]; parent: number[]; via: number[] },
  cost: number,
  worstCost: number,
  visited: number,
): TraceAlignment {
  const moves: Move[] = [];
  for (let id = goal; (states.parent[id] as number) >= 0; id = states.parent[id] as number) {
    const from = states.parent[id] as number;
    const t = states.via[id] as number;
    const pos = states.positions[from] as number;
    if (t < 0) {
      moves.push({ kind: "log", activity: trace[pos] as string, position: pos, transition: -1 });
      continue;
    }
    const label = cn.net.transitions[t]?.label ?? null;
    const kind = label === null ? "tau" : (states.positions[id] as number) > pos ? "sync" : "model";
    moves.push({ kind, activity: label, position: pos, transition: t });
  }
  moves.reverse();
  const deviationCost = Math.round((cost - (cost % DEVIATION)) / DEVIATION);
  return {
    cost: deviationCost,
    worstCost,
    fitness: worstCost === 0 ? 1 : 1 - deviationCost / worstCost,
    moves,
    deviations: deviationsOf(moves),
    states: visited,
  };
}
