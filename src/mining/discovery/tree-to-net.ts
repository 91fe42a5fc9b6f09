import { type PetriNet, PetriNetBuilder } from "../petri/index.ts";
import type { ProcessTree } from "./process-tree.ts";

/**
 * The workflow net of a process tree: one source place with the initial token, one sink place
 * for the final marking, a visible transition per activity leaf and silent transitions for τ
 * leaves, parallel splits/joins and loop entries and exits. Entering and leaving a loop through
 * silent transitions keeps the net sound when loops nest inside choices.
 */
export function treeToNet(tree: ProcessTree, name = "discovered"): PetriNet {
  const b = new PetriNetBuilder(name);
  const source = b.place("source");
  const sink = b.place("sink");

  const build = (node: ProcessTree, from: number, to: number): void => {
    switch (node.op) {
      case "activity":
        b.connect(from, b.transition(node.label), to);
        return;
      case "tau":
        b.connect(from, b.transition(null), to);
        return;
      case "seq": {
        let current = from;
        node.children.forEach((child, i) => {
          const next = i === node.children.length - 1 ? to : b.place();
          build(child, current, next);
          current = next;
        });
        return;
      }
      case "xor":
        for (const child of node.children) build(child, from, to);
        return;
      case "and": {
        const split = b.transition(null, "and_split");
        const join = b.transition(null, "and_join");
        b.input(from, split);
        b.output(join, to);
        for (const child of node.children) {
          const start = b.place();
          const end = b.place();
          b.output(split, start);
          b.input(end, join);
          build(child, start, end);
        }
        return;
      }
      case "loop": {
        const [body, redo] = node.children;
        const enter = b.transition(null, "loop_enter");
        const exit = b.transition(null, "loop_exit");
        const bodyStart = b.place();
        const bodyEnd = b.place();
        b.connect(from, enter, bodyStart);
        build(body, bodyStart, bodyEnd);
        build(redo, bodyEnd, bodyStart);
        b.connect(bodyEnd, exit, to);
        return;
      }
    }
  };

  build(tree, source, sink);
  return b.build([{ place: source, tokens: 1 }], [{ place: sink, tokens: 1 }]);
}
