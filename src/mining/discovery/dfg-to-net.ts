import { type PetriNet, PetriNetBuilder } from "../petri/index.ts";
import type { Dfg } from "./dfg.ts";

/**
 * The directly-follows graph as a Petri net whose state is "the last activity": one visible
 * transition per activity, a silent transition per edge (and per start and end activity), so the
 * net accepts exactly the paths of the graph from a start to an end activity.
 */
export function dfgToNet(dfg: Dfg): PetriNet {
  const b = new PetriNetBuilder("directly-follows");
  const source = b.place("source");
  const sink = b.place("sink");
  const before = new Map<string, number>();
  const after = new Map<string, number>();
  for (const { name } of dfg.activities) {
    const pin = b.place(`before ${name}`);
    const pout = b.place(`after ${name}`);
    before.set(name, pin);
    after.set(name, pout);
    b.connect(pin, b.transition(name), pout);
  }
  for (const a of Object.keys(dfg.start)) b.connect(source, b.transition(null), before.get(a) as number);
  for (const e of dfg.edges) {
    b.connect(after.get(e.source) as number, b.transition(null), before.get(e.target) as number);
  }
  for (const a of Object.keys(dfg.end)) b.connect(after.get(a) as number, b.transition(null), sink);
  return b.build([{ place: source, tokens: 1 }], [{ place: sink, tokens: 1 }]);
}
