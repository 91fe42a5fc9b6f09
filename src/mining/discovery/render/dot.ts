import type { Graph, GraphNode } from "./graph.ts";

const quote = (s: string) => `"${s.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n")}"`;

function nodeAttributes(n: GraphNode): string {
  switch (n.shape) {
    case "box":
      return `shape=box, style="rounded,filled", fillcolor="#e8f0fe", label=${quote(n.label)}`;
    case "silent":
      return 'shape=box, style=filled, fillcolor="#202124", width=0.15, height=0.45, fixedsize=true, label=""';
    case "place": {
      const label = n.tokens ? quote("\u25cf".repeat(Math.min(n.tokens, 3))) : '""';
      return `shape=${n.final ? "doublecircle" : "circle"}, width=0.35, fixedsize=true, label=${label}`;
    }
    case "start":
      return 'shape=circle, style=filled, fillcolor="#34a853", width=0.3, fixedsize=true, label=""';
    case "end":
      return 'shape=doublecircle, style=filled, fillcolor="#ea4335", width=0.25, fixedsize=true, label=""';
  }
}

/**
 * Graphviz DOT text (left to right), for `dot -Tsvg` or any DOT viewer.
 *
 * @example
 * toDot(netGraph(net)); // "digraph \"discovered\" {\n  rankdir=LR; …"
 */
export function toDot(graph: Graph): string {
  const lines = [
    `digraph ${quote(graph.name)} {`,
    "  rankdir=LR;",
    '  node [fontname="Helvetica", fontsize=11];',
    '  edge [fontname="Helvetica", fontsize=9, arrowsize=0.7];',
  ];
  for (const n of graph.nodes) lines.push(`  ${quote(n.id)} [${nodeAttributes(n)}];`);
  for (const e of graph.edges) {
    const attrs: string[] = [];
    if (e.label) attrs.push(`label=${quote(e.label)}`);
    if (e.title) attrs.push(`tooltip=${quote(e.title)}`);
    if (e.weight !== undefined) attrs.push(`penwidth=${(1 + 3 * e.weight).toFixed(2)}`);
    lines.push(`  ${quote(e.source)} -> ${quote(e.target)}${attrs.length ? ` [${attrs.join(", ")}]` : ""};`);
  }
  lines.push("}", "");
  return lines.join("\n");
}
