import type { Marking, PetriNet } from "./model.ts";
import { PetriNetBuilder } from "./model.ts";

interface MutableTransition {
  label: string | null;
  name: string;
  pre: Set<number>;
  post: Set<number>;
  alive: boolean;
}

/**
 * Remove silent transitions that only pass a token along (the fusion of series places):
 * a silent `t` with one input place `p` and one output place `q`, all arcs of weight 1, goes when
 * `t` is all that ever empties `p` (then whatever fills `p` fills `q` instead), or when `t` is all
 * that ever fills `q` (then whatever empties `q` empties `p` instead); marked places stay. Every
 * trace the net accepts is kept, and so are boundedness and liveness.
 *
 * @example
 * reduceSilent(treeToNet(tree)).transitions.length; // fewer τ than before
 */
export function reduceSilent(net: PetriNet): PetriNet {
  if (net.arcs.some((a) => a.weight !== 1)) return net;
  const ts: MutableTransition[] = net.transitions.map((t) => ({
    label: t.label,
    name: t.name,
    pre: new Set(),
    post: new Set(),
    alive: true,
  }));
  for (const a of net.arcs) (a.toTransition ? ts[a.transition]?.pre : ts[a.transition]?.post)?.add(a.place);
  const marked = new Set([...net.initialMarking, ...net.finalMarking].map((m) => m.place));
  const placeAlive = net.places.map(() => true);
  const consumers = (p: number) => ts.filter((t) => t.alive && t.pre.has(p));
  const producers = (p: number) => ts.filter((t) => t.alive && t.post.has(p));
  let changed = true;
  while (changed) {
    changed = false;
    for (const t of ts) {
      if (!t.alive || t.label !== null || t.pre.size !== 1 || t.post.size !== 1) continue;
      const p = [...t.pre][0] as number;
      const q = [...t.post][0] as number;
      if (p === q) continue;
      const intoP = producers(p);
      const outOfQ = consumers(q);
      if (!marked.has(p) && consumers(p).length === 1 && intoP.every((u) => !u.post.has(q))) {
        for (const u of intoP) {
          u.post.delete(p);
          u.post.add(q);
        }
        t.alive = false;
        placeAlive[p] = false;
        changed = true;
      } else if (!marked.has(q) && producers(q).length === 1 && outOfQ.every((u) => !u.pre.has(p))) {
        for (const u of outOfQ) {
          u.pre.delete(q);
          u.pre.add(p);
        }
        t.alive = false;
        placeAlive[q] = false;
        changed = true;
      }
    }
  }
  const b = new PetriNetBuilder(net.name);
  const placeIndex = new Map<number, number>();
  net.places.forEach((p, i) => {
    if (placeAlive[i])
      placeIndex.set(i, b.place(p.name.startsWith("p") && p.name === p.id ? undefined : p.name));
  });
  for (const t of ts) {
    if (!t.alive) continue;
    const idx = b.transition(t.label, t.label === null ? undefined : t.name);
    for (const p of t.pre) b.input(placeIndex.get(p) as number, idx);
    for (const p of t.post) b.output(idx, placeIndex.get(p) as number);
  }
  const remap = (m: Marking): Marking =>
    m.map(({ place, tokens }) => ({ place: placeIndex.get(place) as number, tokens }));
  return b.build(remap(net.initialMarking), remap(net.finalMarking));
}
