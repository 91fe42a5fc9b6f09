/**
 * A process tree: activities and τ at the leaves; sequence (`->`), exclusive choice (`X`),
 * parallel (`+`) and loop (`*`, first child the body, second the redo) inside. Every process tree
 * is a sound model, which is why the inductive miner produces one.
 */
export type ProcessTree =
  | { readonly op: "activity"; readonly label: string }
  | { readonly op: "tau" }
  | { readonly op: "seq" | "xor" | "and"; readonly children: readonly ProcessTree[] }
  | { readonly op: "loop"; readonly children: readonly [ProcessTree, ProcessTree] };

export const TAU: ProcessTree = { op: "tau" };
export const activity = (label: string): ProcessTree => ({ op: "activity", label });

/** An operator node; a single child stands for itself, and nested operators of the same kind flatten. */
export function operator(op: "seq" | "xor" | "and", children: readonly ProcessTree[]): ProcessTree {
  const flat: ProcessTree[] = [];
  for (const c of children) {
    if (c.op === op) flat.push(...c.children);
    else flat.push(c);
  }
  if (flat.length === 1) return flat[0] as ProcessTree;
  return { op, children: flat };
}

export function loop(body: ProcessTree, redo: ProcessTree): ProcessTree {
  return { op: "loop", children: [body, redo] };
}

const SYMBOL = { seq: "->", xor: "X", and: "+", loop: "*" } as const;

/** The usual textual form, e.g. `->( 'a', X( 'b', tau ), *( 'c', tau ) )`. */
export function treeToString(tree: ProcessTree): string {
  if (tree.op === "activity") return `'${tree.label}'`;
  if (tree.op === "tau") return "tau";
  return `${SYMBOL[tree.op]}( ${tree.children.map(treeToString).join(", ")} )`;
}

export function treeSize(tree: ProcessTree): number {
  if (tree.op === "activity" || tree.op === "tau") return 1;
  let n = 1;
  for (const c of tree.children) n += treeSize(c);
  return n;
}
