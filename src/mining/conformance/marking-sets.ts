import { type CompiledNet, fireInPlace, isEnabled } from "../petri/index.ts";

/**
 * How many markings one set may hold. Beyond it the set is given up (callers fall back or say
 * so): nets from process trees reach a handful per prefix, an unbounded net could reach millions.
 */
export const MAX_SET_MARKINGS = 2_000;

/** A marking reached, with the transition that reached it and where it came from (for one firing sequence back). */
export interface Reached {
  readonly marking: Int32Array;
  readonly previous: Reached | null;
  /** The transition fired to get here; -1 for the start. */
  readonly transition: number;
}

/** Markings by key (their token counts joined), each with one way to reach it. */
export type MarkingSet = Map<string, Reached>;

/**
 * A marking's key: one UTF-16 unit per place, several times faster than joining the numbers (this
 * is the hot path of exact precision). Counts that do not fit in one unit are joined instead, so
 * two markings never share a key.
 */
export function keyOf(m: Int32Array): string {
  let fits = m.length <= 8192;
  for (let i = 0; fits && i < m.length; i++) fits = (m[i] as number) >= 0 && (m[i] as number) < 0xd800;
  return fits ? String.fromCharCode.apply(null, m as unknown as number[]) : `#${m.join(",")}`;
}

/** The set of one marking, closed under silent transitions. */
export function startSet(cn: CompiledNet, marking: Int32Array): MarkingSet | undefined {
  return silentClosure(cn, new Map([[keyOf(marking), { marking, previous: null, transition: -1 }]]));
}

/**
 * Every marking reachable from the set by silent transitions only, the set included; undefined
 * when it would pass MAX_SET_MARKINGS.
 */
export function silentClosure(cn: CompiledNet, set: MarkingSet): MarkingSet | undefined {
  if (cn.silent.length === 0) return set;
  let frontier = [...set.values()];
  while (frontier.length > 0) {
    const next: Reached[] = [];
    for (const r of frontier) {
      for (const t of cn.silent) {
        if (!isEnabled(cn, r.marking, t)) continue;
        const m = r.marking.slice();
        fireInPlace(cn, m, t);
        const key = keyOf(m);
        if (set.has(key)) continue;
        const reached = { marking: m, previous: r, transition: t };
        set.set(key, reached);
        next.push(reached);
        if (set.size > MAX_SET_MARKINGS) return undefined;
      }
    }
    frontier = next;
  }
  return set;
}

/**
 * The markings after `activity` from any marking of the set (every enabled transition with that
 * label, then silent ones): exact where one replayed marking would follow one arbitrary path.
 * Empty when no marking enables it; undefined when the set grows past its bound.
 */
export function stepSet(cn: CompiledNet, set: MarkingSet, activity: string): MarkingSet | undefined {
  const out: MarkingSet = new Map();
  const candidates = cn.byLabel.get(activity);
  if (candidates === undefined) return out;
  for (const r of set.values()) {
    for (const t of candidates) {
      if (!isEnabled(cn, r.marking, t)) continue;
      const m = r.marking.slice();
      fireInPlace(cn, m, t);
      const key = keyOf(m);
      if (!out.has(key)) out.set(key, { marking: m, previous: r, transition: t });
    }
  }
  return silentClosure(cn, out);
}

/** The transitions fired from the start to reach `r`, in order. */
export function firingSequence(r: Reached): number[] {
  const out: number[] = [];
  for (let at: Reached | null = r; at !== null && at.transition >= 0; at = at.previous)
    out.push(at.transition);
  return out.reverse();
}

/**
 * Markings by number, and what follows each one, memoised: a log's prefixes reach the same
 * markings again and again. Each marking's own moves (silent and visible) are computed once, and
 * each marking's silent closure is walked over those numbers once; sets of markings are plain
 * arrays of numbers. `successors` is undefined past MAX_SET_MARKINGS.
 */
export class MarkingGraph {
  private readonly ids = new Map<string, number>();
  private readonly markings: Int32Array[] = [];
  /** Per id: the ids one silent transition away. */
  private readonly silentNext: (readonly number[] | undefined)[] = [];
  /** Per id: label and id of each visible transition enabled there. */
  private readonly visibleNext: (readonly (readonly [string, number])[] | undefined)[] = [];
  /** Per id: for each visible label, the ids right after it (silent steps first); null past the bound. */
  private readonly after: (ReadonlyMap<string, readonly number[]> | null | undefined)[] = [];
  private stamp = 0;
  private readonly stamps: number[] = [];

  constructor(private readonly cn: CompiledNet) {}

  idOf(marking: Int32Array): number {
    const key = keyOf(marking);
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.markings.length;
      this.ids.set(key, id);
      this.markings.push(marking);
    }
    return id;
  }

  successors(id: number): ReadonlyMap<string, readonly number[]> | undefined {
    const hit = this.after[id];
    if (hit !== undefined) return hit ?? undefined;
    const stamp = ++this.stamp;
    this.stamps[id] = stamp;
    const closure = [id];
    const sets = new Map<string, number[]>();
    let result: Map<string, number[]> | null = sets;
    for (let i = 0; i < closure.length; i++) {
      const at = closure[i] as number;
      for (const [label, to] of this.visibleFrom(at)) {
        const list = sets.get(label);
        if (list === undefined) sets.set(label, [to]);
        else if (!list.includes(to)) list.push(to);
      }
      for (const to of this.silentFrom(at)) {
        if (this.stamps[to] === stamp) continue;
        this.stamps[to] = stamp;
        closure.push(to);
      }
      if (closure.length > MAX_SET_MARKINGS) {
        result = null;
        break;
      }
    }
    this.after[id] = result;
    return result ?? undefined;
  }

  /**
   * Whether the net can produce the trace: some marking it reaches after the last activity leads
   * silently to the final marking. Undefined when a set passed its bound.
   */
  fits(trace: readonly string[]): boolean | undefined {
    let frontier: readonly number[] = [this.idOf(this.cn.initial)];
    for (const activity of trace) {
      const stamp = ++this.stamp;
      const next: number[] = [];
      for (const id of frontier) {
        const succ = this.successors(id);
        if (succ === undefined) return undefined;
        for (const to of succ.get(activity) ?? []) {
          if (this.stamps[to] === stamp) continue;
          this.stamps[to] = stamp;
          next.push(to);
        }
      }
      if (next.length === 0) return false;
      if (next.length > MAX_SET_MARKINGS) return undefined;
      frontier = next;
    }
    const final = this.ids.get(keyOf(this.cn.final));
    if (final === undefined && this.cn.silent.length === 0) return false;
    const stamp = ++this.stamp;
    const queue = [...frontier];
    for (const id of queue) this.stamps[id] = stamp;
    for (let i = 0; i < queue.length; i++) {
      const at = queue[i] as number;
      if (keyOf(this.markings[at] as Int32Array) === keyOf(this.cn.final)) return true;
      for (const to of this.silentFrom(at)) {
        if (this.stamps[to] === stamp) continue;
        this.stamps[to] = stamp;
        queue.push(to);
      }
      if (queue.length > MAX_SET_MARKINGS * 10) return undefined;
    }
    return false;
  }

  private silentFrom(id: number): readonly number[] {
    let next = this.silentNext[id];
    if (next === undefined) {
      const m = this.markings[id] as Int32Array;
      const out: number[] = [];
      for (const t of this.cn.silent) if (isEnabled(this.cn, m, t)) out.push(this.fired(m, t));
      this.silentNext[id] = next = out;
    }
    return next;
  }

  private visibleFrom(id: number): readonly (readonly [string, number])[] {
    let next = this.visibleNext[id];
    if (next === undefined) {
      const m = this.markings[id] as Int32Array;
      const out: [string, number][] = [];
      for (const [label, ts] of this.cn.byLabel) {
        for (const t of ts) if (isEnabled(this.cn, m, t)) out.push([label, this.fired(m, t)]);
      }
      this.visibleNext[id] = next = out;
    }
    return next;
  }

  private fired(m: Int32Array, t: number): number {
    const out = m.slice();
    fireInPlace(this.cn, out, t);
    return this.idOf(out);
  }
}
