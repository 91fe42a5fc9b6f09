import { type CompiledNet, fireInPlace, isEnabled } from "../petri/index.ts";

/** Markings one state may hold, and markings one search may visit. */
const MAX_MARKINGS = 5_000;
/** Cached steps (state × activity) before the cache is cleared. */
const MAX_CACHED_STEPS = 200_000;

export type Step =
  | { readonly kind: "ok"; readonly next: number }
  | { readonly kind: "skip"; readonly next: number; readonly skipped: readonly string[] }
  | { readonly kind: "none" };

interface State {
  readonly markings: readonly Int32Array[];
  readonly allowed: readonly string[];
  readonly canEnd: boolean;
}

const keyOf = (m: Int32Array) => String.fromCharCode.apply(null, m as unknown as number[]);

/**
 * The token game of a net, played with sets of markings: a state is every marking the case may
 * be in (closed under silent transitions), so choices the net makes silently never have to be
 * guessed. States are interned and steps cached, so a case's step on a line is usually two map
 * lookups.
 */
export class TokenGame {
  readonly #cn: CompiledNet;
  readonly #states: State[] = [];
  readonly #index = new Map<string, number>();
  readonly #steps = new Map<string, Step>();
  readonly #finalKey: string;
  readonly initial: number;

  constructor(cn: CompiledNet) {
    this.#cn = cn;
    this.#finalKey = keyOf(cn.final);
    this.initial = this.#intern(this.#closure([cn.initial]));
  }

  /** Activities the model allows next in this state. */
  allowed(state: number): readonly string[] {
    return (this.#states[state] as State).allowed;
  }

  /** Whether the case may be complete in this state (the final marking is among its markings). */
  canEnd(state: number): boolean {
    return (this.#states[state] as State).canEnd;
  }

  /** Whether `activity` is a label of the net. */
  knows(activity: string): boolean {
    return this.#cn.byLabel.has(activity);
  }

  /** Play `activity` in `state`: directly, after skipping visible steps (fewest first), or not at all. */
  step(state: number, activity: string): Step {
    const key = `${state}\u0000${activity}`;
    const known = this.#steps.get(key);
    if (known !== undefined) return known;
    const step = this.#play(state, activity);
    if (this.#steps.size >= MAX_CACHED_STEPS) this.#steps.clear();
    this.#steps.set(key, step);
    return step;
  }

  #play(state: number, activity: string): Step {
    const ts = this.#cn.byLabel.get(activity);
    if (ts === undefined) return { kind: "none" };
    const { markings } = this.#states[state] as State;
    const fired = this.#fireAll(markings, ts);
    if (fired.length > 0) return { kind: "ok", next: this.#intern(this.#closure(fired)) };
    const skip = this.#skipTo(markings, ts);
    if (skip === undefined) return { kind: "none" };
    const next = this.#intern(this.#closure(this.#fireAll(skip.markings, ts)));
    return skip.skipped.length === 0 ? { kind: "ok", next } : { kind: "skip", next, skipped: skip.skipped };
  }

  /**
   * The fewest visible steps that would complete a case in this state (empty when it may end
   * now); undefined when the end cannot be reached within the search bound.
   */
  toEnd(state: number): readonly string[] | undefined {
    const s = this.#states[state] as State;
    if (s.canEnd) return [];
    return this.#search(s.markings, (m) => keyOf(m) === this.#finalKey)?.skipped;
  }

  #fireAll(markings: readonly Int32Array[], ts: readonly number[]): Int32Array[] {
    const out: Int32Array[] = [];
    for (const m of markings) {
      for (const t of ts) {
        if (!isEnabled(this.#cn, m, t)) continue;
        const m2 = m.slice();
        fireInPlace(this.#cn, m2, t);
        out.push(m2);
      }
    }
    return out;
  }

  /**
   * The markings from which one of `ts` is enabled after the fewest visible steps (silent steps
   * are free): a 0-1 breadth-first search, remembering the labels skipped on the way.
   */
  #skipTo(
    start: readonly Int32Array[],
    ts: readonly number[],
  ): { markings: Int32Array[]; skipped: string[] } | undefined {
    return this.#search(start, (m) => ts.some((t) => isEnabled(this.#cn, m, t)));
  }

  /** The markings nearest to `start` (in visible steps) that satisfy `goal`, and the labels on the way. */
  #search(
    start: readonly Int32Array[],
    goal: (m: Int32Array) => boolean,
  ): { markings: Int32Array[]; skipped: string[] } | undefined {
    const cn = this.#cn;
    const seen = new Map<string, number>();
    const deque: { m: Int32Array; d: number; skipped: string[] }[] = [];
    for (const m of start) {
      seen.set(keyOf(m), 0);
      deque.push({ m, d: 0, skipped: [] });
    }
    let found: { markings: Int32Array[]; skipped: string[]; d: number } | undefined;
    // A deque as an array with a moving head; 0-cost moves go to the front via a second array.
    let head = 0;
    const front: typeof deque = [];
    while ((front.length > 0 || head < deque.length) && seen.size < MAX_MARKINGS) {
      const item =
        front.length > 0
          ? (front.pop() as (typeof deque)[number])
          : (deque[head++] as (typeof deque)[number]);
      if (found !== undefined && item.d > found.d) break;
      if ((seen.get(keyOf(item.m)) ?? 0) < item.d) continue;
      if (goal(item.m)) {
        if (found === undefined) found = { markings: [item.m], skipped: item.skipped, d: item.d };
        else if (item.d === found.d) found.markings.push(item.m);
        continue;
      }
      for (let t = 0; t < cn.prePlaces.length; t++) {
        if (!isEnabled(cn, item.m, t)) continue;
        const m2 = item.m.slice();
        fireInPlace(cn, m2, t);
        const label = cn.net.transitions[t]?.label ?? null;
        const d = item.d + (label === null ? 0 : 1);
        const k = keyOf(m2);
        const before = seen.get(k);
        if (before !== undefined && before <= d) continue;
        seen.set(k, d);
        const next = { m: m2, d, skipped: label === null ? item.skipped : [...item.skipped, label] };
        if (label === null) front.push(next);
        else deque.push(next);
      }
    }
    return found === undefined ? undefined : { markings: found.markings, skipped: found.skipped };
  }

  /** Every marking reachable from these through silent transitions (bounded). */
  #closure(from: readonly Int32Array[]): Int32Array[] {
    const cn = this.#cn;
    const seen = new Map<string, Int32Array>();
    const stack: Int32Array[] = [];
    for (const m of from) {
      const k = keyOf(m);
      if (!seen.has(k)) {
        seen.set(k, m);
        stack.push(m);
      }
    }
    while (stack.length > 0 && seen.size < MAX_MARKINGS) {
      const m = stack.pop() as Int32Array;
      for (const t of cn.silent) {
        if (!isEnabled(cn, m, t)) continue;
        const m2 = m.slice();
        fireInPlace(cn, m2, t);
        const k = keyOf(m2);
        if (seen.has(k)) continue;
        seen.set(k, m2);
        stack.push(m2);
      }
    }
    return [...seen.values()];
  }

  #intern(markings: Int32Array[]): number {
    const keys = markings.map(keyOf).sort();
    const key = keys.join("\u0001");
    const known = this.#index.get(key);
    if (known !== undefined) return known;
    const allowed = new Set<string>();
    for (const [label, ts] of this.#cn.byLabel) {
      if (markings.some((m) => ts.some((t) => isEnabled(this.#cn, m, t)))) allowed.add(label);
    }
    const id = this.#states.length;
    this.#states.push({
      markings,
      allowed: [...allowed].sort(),
      canEnd: keys.includes(this.#finalKey),
    });
    this.#index.set(key, id);
    return id;
  }
}
