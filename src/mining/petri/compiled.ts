import type { Marking, PetriNet } from "./model.ts";

/**
 * A net prepared for firing: for each transition its input and output places with weights, for
 * each place the transitions that consume from it, visible transitions by label. Markings are
 * dense `Int32Array`s indexed by place.
 */
export interface CompiledNet {
  readonly net: PetriNet;
  readonly prePlaces: readonly Int32Array[];
  readonly preWeights: readonly Int32Array[];
  readonly postPlaces: readonly Int32Array[];
  readonly postWeights: readonly Int32Array[];
  /** Transitions with an arc from the place. */
  readonly consumers: readonly Int32Array[];
  readonly byLabel: ReadonlyMap<string, readonly number[]>;
  readonly silent: readonly number[];
  readonly initial: Int32Array;
  readonly final: Int32Array;
}

export function compileNet(net: PetriNet): CompiledNet {
  const nT = net.transitions.length;
  const nP = net.places.length;
  const pre: [number, number][][] = Array.from({ length: nT }, () => []);
  const post: [number, number][][] = Array.from({ length: nT }, () => []);
  const consumers: number[][] = Array.from({ length: nP }, () => []);
  for (const a of net.arcs) {
    if (a.toTransition) {
      (pre[a.transition] as [number, number][]).push([a.place, a.weight]);
      (consumers[a.place] as number[]).push(a.transition);
    } else {
      (post[a.transition] as [number, number][]).push([a.place, a.weight]);
    }
  }
  const byLabel = new Map<string, number[]>();
  const silent: number[] = [];
  net.transitions.forEach((t, i) => {
    if (t.label === null) silent.push(i);
    else byLabel.set(t.label, [...(byLabel.get(t.label) ?? []), i]);
  });
  return {
    net,
    prePlaces: pre.map((l) => Int32Array.from(l.map((x) => x[0]))),
    preWeights: pre.map((l) => Int32Array.from(l.map((x) => x[1]))),
    postPlaces: post.map((l) => Int32Array.from(l.map((x) => x[0]))),
    postWeights: post.map((l) => Int32Array.from(l.map((x) => x[1]))),
    consumers: consumers.map((l) => Int32Array.from(new Set(l))),
    byLabel,
    silent,
    initial: dense(net.initialMarking, nP),
    final: dense(net.finalMarking, nP),
  };
}

export function dense(marking: Marking, places: number): Int32Array {
  const m = new Int32Array(places);
  for (const { place, tokens } of marking) m[place] = (m[place] ?? 0) + tokens;
  return m;
}

export function isEnabled(cn: CompiledNet, marking: Int32Array, t: number): boolean {
  const places = cn.prePlaces[t] as Int32Array;
  const weights = cn.preWeights[t] as Int32Array;
  for (let i = 0; i < places.length; i++) {
    if ((marking[places[i] as number] as number) < (weights[i] as number)) return false;
  }
  return true;
}

/** The marking after firing `t` (a new array; the given one is untouched). */
export function fire(cn: CompiledNet, marking: Int32Array, t: number): Int32Array {
  const next = marking.slice();
  fireInPlace(cn, next, t);
  return next;
}

/** Fire `t` on `marking` itself; tokens may go negative when `t` was not enabled (replay counts them). */
export function fireInPlace(cn: CompiledNet, marking: Int32Array, t: number): void {
  const pre = cn.prePlaces[t] as Int32Array;
  const preW = cn.preWeights[t] as Int32Array;
  for (let i = 0; i < pre.length; i++) {
    const p = pre[i] as number;
    marking[p] = (marking[p] as number) - (preW[i] as number);
  }
  const post = cn.postPlaces[t] as Int32Array;
  const postW = cn.postWeights[t] as Int32Array;
  for (let i = 0; i < post.length; i++) {
    const p = post[i] as number;
    marking[p] = (marking[p] as number) + (postW[i] as number);
  }
}

export function sameMarking(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
