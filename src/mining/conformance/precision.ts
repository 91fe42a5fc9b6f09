import { type CompiledNet, compileNet, fireInPlace, isEnabled, type PetriNet } from "../petri/index.ts";
import { MAX_SET_MARKINGS, MarkingGraph } from "./marking-sets.ts";

/** How many markings the search through silent transitions may visit from one marking. */
const MAX_SILENT_STATES = 2_000;

/**
 * Which markings a prefix leads to:
 * - `all` (the default, exact): every marking the prefix can reach, through any choice of
 *   transitions and silent ones; what is allowed next is what any of them enables.
 * - `first`: the one marking a token replay reaches, as PM4Py's token-based ETC does; on nets
 *   with silent choices it misses allowed continuations and overstates precision.
 */
export type PrecisionMarkings = "all" | "first";

export interface PrecisionResult {
  readonly precision: number;
  /** Prefixes left out because their marking set passed its bound (all mode); 0 means exact. */
  readonly prefixesOverBound: number;
}

/**
 * ETC precision (Muñoz-Gama and Carmona, "A fresh look at precision in process conformance",
 * 2010): after each prefix of the log that the model can replay, the activities the model allows
 * next are compared with those the log shows next; the allowed but never seen ones are escaping
 * edges. Precision = 1 − Σ escaping / Σ allowed, each prefix weighted by how often it occurs; the
 * empty prefix counts once per trace against the start activities (PM4Py ≥ 2.7.12 does the same).
 *
 * @example
 * etcPrecision(net, log.cases.map((c) => c.events.map((e) => e.activity))); // e.g. 0.75
 */
export function etcPrecision(
  net: PetriNet | CompiledNet,
  traces: readonly (readonly string[])[],
  markings: PrecisionMarkings = "all",
): number {
  return precisionOf(net, traces, markings).precision;
}

/** ETC precision with how exact it is (see etcPrecision). */
export function precisionOf(
  net: PetriNet | CompiledNet,
  traces: readonly (readonly string[])[],
  markings: PrecisionMarkings = "all",
): PrecisionResult {
  const cn = "prePlaces" in net ? net : compileNet(net);
  // Prefixes with the activities seen after them and how often each prefix occurs (with a successor).
  const prefixes = new Map<
    string,
    { next: Set<string>; count: number; trace: readonly string[]; length: number }
  >();
  const starts = new Set<string>();
  let nonEmpty = 0;
  for (const t of traces) {
    if (t.length === 0) continue;
    nonEmpty++;
    starts.add(t[0] as string);
    let key = "";
    for (let i = 1; i < t.length; i++) {
      key += `${t[i - 1]}\u0000`;
      let p = prefixes.get(key);
      if (p === undefined) {
        p = { next: new Set(), count: 0, trace: t, length: i };
        prefixes.set(key, p);
      }
      p.next.add(t[i] as string);
      p.count++;
    }
  }
  const allowedAfter = markings === "all" ? allMarkings(cn) : firstMarking(cn);
  let allowedSum = 0;
  let escapingSum = 0;
  let overBound = 0;
  const initial = allowedAfter("", [], 0);
  if (initial === "over") overBound++;
  else if (initial !== null) {
    allowedSum += nonEmpty * initial.size;
    for (const a of initial) if (!starts.has(a)) escapingSum += nonEmpty;
  }
  for (const [key, p] of prefixes) {
    const enabled = allowedAfter(key, p.trace, p.length);
    if (enabled === "over") overBound++;
    if (enabled === null || enabled === "over") continue;
    allowedSum += enabled.size * p.count;
    for (const a of enabled) if (!p.next.has(a)) escapingSum += p.count;
  }
  return { precision: allowedSum === 0 ? 1 : 1 - escapingSum / allowedSum, prefixesOverBound: overBound };
}

/** What is allowed after a prefix: null when the model cannot replay it, "over" past the bound. */
type AllowedAfter = (key: string, trace: readonly string[], length: number) => Set<string> | null | "over";

/**
 * Exact: every marking each prefix reaches, kept as the markings right after its last activity
 * (numbered by the marking graph, whose silent closures are searched once per marking), built
 * from the prefix one shorter.
 */
function allMarkings(cn: CompiledNet): AllowedAfter {
  const graph = new MarkingGraph(cn);
  const frontiers = new Map<string, readonly number[] | null | "over">();
  // Marks which ids a union already holds: a stamp per union instead of a Set per union.
  let stamp = 0;
  const stamps: number[] = [];
  const frontierAfter = (
    key: string,
    trace: readonly string[],
    length: number,
  ): readonly number[] | null | "over" => {
    const known = frontiers.get(key);
    if (known !== undefined) return known;
    let result: readonly number[] | null | "over";
    if (length === 0) result = [graph.idOf(cn.initial)];
    else {
      const activity = trace[length - 1] as string;
      const parent = frontierAfter(key.slice(0, key.length - activity.length - 1), trace, length - 1);
      result = parent === null || parent === "over" ? parent : step(parent, activity);
    }
    frontiers.set(key, result);
    return result;
  };
  const step = (from: readonly number[], activity: string): readonly number[] | null | "over" => {
    stamp++;
    const next: number[] = [];
    for (const id of from) {
      const succ = graph.successors(id);
      if (succ === undefined) return "over";
      for (const to of succ.get(activity) ?? []) {
        if (stamps[to] === stamp) continue;
        stamps[to] = stamp;
        next.push(to);
      }
    }
    return next.length === 0 ? null : next.length > MAX_SET_MARKINGS ? "over" : next;
  };
  return (key, trace, length) => {
    const frontier = frontierAfter(key, trace, length);
    if (frontier === null || frontier === "over") return frontier;
    const labels = new Set<string>();
    for (const id of frontier) {
      const succ = graph.successors(id);
      if (succ === undefined) return "over";
      for (const label of succ.keys()) labels.add(label);
    }
    return labels;
  };
}

/** PM4Py's way: the one marking a token replay reaches (shortest silent paths, first enabled transition). */
function firstMarking(cn: CompiledNet): AllowedAfter {
  const allowedCache = new Map<string, Set<string>>();
  const allowed = (m: Int32Array) => {
    const k = m.join(",");
    let set = allowedCache.get(k);
    if (set === undefined) {
      set = eventuallyEnabledLabels(cn, m);
      allowedCache.set(k, set);
    }
    return set;
  };
  const markings = new Map<string, Int32Array | null>([["", cn.initial]]);
  return (key, trace, length) => {
    const marking = markingAfter(cn, markings, key, trace, length);
    return marking === null ? null : allowed(marking);
  };
}

function markingAfter(
  cn: CompiledNet,
  markings: Map<string, Int32Array | null>,
  key: string,
  trace: readonly string[],
  length: number,
): Int32Array | null {
  const known = markings.get(key);
  if (known !== undefined) return known;
  const activity = trace[length - 1] as string;
  const parentKey = key.slice(0, key.length - activity.length - 1);
  const parent = markingAfter(cn, markings, parentKey, trace, length - 1);
  const result = parent === null ? null : fireVisible(cn, parent, activity);
  markings.set(key, result);
  return result;
}

/** Fire `activity` from `marking`, through silent transitions if needed; null when it would need missing tokens. */
function fireVisible(cn: CompiledNet, marking: Int32Array, activity: string): Int32Array | null {
  const candidates = cn.byLabel.get(activity);
  if (candidates === undefined) return null;
  const seen = new Set<string>([marking.join(",")]);
  let frontier = [marking];
  while (frontier.length > 0 && seen.size < MAX_SILENT_STATES) {
    const next: Int32Array[] = [];
    for (const m of frontier) {
      const t = candidates.find((c) => isEnabled(cn, m, c));
      if (t !== undefined) {
        const out = m.slice();
        fireInPlace(cn, out, t);
        return out;
      }
      for (const s of cn.silent) {
        if (!isEnabled(cn, m, s)) continue;
        const m2 = m.slice();
        fireInPlace(cn, m2, s);
        const k = m2.join(",");
        if (seen.has(k)) continue;
        seen.add(k);
        next.push(m2);
      }
    }
    frontier = next;
  }
  return null;
}

/** Labels of the visible transitions enabled in `marking` or after silent transitions only. */
function eventuallyEnabledLabels(cn: CompiledNet, marking: Int32Array): Set<string> {
  const labels = new Set<string>();
  const seen = new Set<string>([marking.join(",")]);
  let frontier = [marking];
  while (frontier.length > 0 && seen.size < MAX_SILENT_STATES) {
    const next: Int32Array[] = [];
    for (const m of frontier) {
      for (const [label, ts] of cn.byLabel) {
        if (!labels.has(label) && ts.some((t) => isEnabled(cn, m, t))) labels.add(label);
      }
      for (const s of cn.silent) {
        if (!isEnabled(cn, m, s)) continue;
        const m2 = m.slice();
        fireInPlace(cn, m2, s);
        const k = m2.join(",");
        if (seen.has(k)) continue;
        seen.add(k);
        next.push(m2);
      }
    }
    frontier = next;
  }
  return labels;
}
