import { describe, expect, it } from "vitest";
import { logFromTraces, XmlTokenizer } from "../../eventlog/index.ts";
import { discover } from "../discover.ts";
import { toDot } from "./dot.ts";
import { dfgGraph, netGraph } from "./graph.ts";
import { layout } from "./layout.ts";
import { toSvg } from "./svg.ts";

const log = logFromTraces(["a b c", "a c b", "a b c b c", "a d"].map((s) => s.split(" ")));

function wellFormed(svg: string): string[] {
  const names: string[] = [];
  const t = new XmlTokenizer((tok) => {
    if (tok.kind === "open") names.push(tok.name);
  });
  t.push(Buffer.from(svg));
  t.end();
  return names;
}

describe("rendering", () => {
  it("lays out a graph left to right along its edges, cycles included", () => {
    const graph = dfgGraph(discover(log, { algorithm: "dfg" }).dfg);
    const l = layout(graph);
    const x = (id: string) => l.nodes.find((n) => n.node.id === id)?.x as number;
    expect(x("start")).toBeLessThan(x("a0")); // start → a
    expect(x("a0")).toBeLessThan(x("end"));
    expect(l.edges).toHaveLength(graph.edges.length);
    for (const n of l.nodes) {
      expect(n.x - n.w / 2).toBeGreaterThanOrEqual(0);
      expect(n.y + n.h / 2).toBeLessThanOrEqual(l.height);
    }
  });

  it("draws a well-formed SVG with a node per transition and place, labels escaped", () => {
    const model = discover(logFromTraces([["a <b>", "c & d"]]));
    const svg = toSvg(netGraph(model.net));
    const names = wellFormed(svg);
    expect(names[0]).toBe("svg");
    expect(names.filter((n) => n === "circle").length).toBeGreaterThanOrEqual(model.net.places.length);
    expect(svg).toContain("&lt;b&gt;");
    expect(svg).toContain("c &amp; d");
    expect(names.filter((n) => n === "path").length).toBe(model.net.arcs.length + 1); // + the arrowhead
  });

  it("writes DOT with a node per net node and an edge per arc", () => {
    const model = discover(log);
    const dot = toDot(netGraph(model.net));
    expect(dot.startsWith('digraph "inductive miner" {')).toBe(true);
    expect(dot.match(/ -> /g)).toHaveLength(model.net.arcs.length);
    expect(dot.match(/shape=box, style=filled, fillcolor="#202124"/g)?.length).toBe(
      model.net.transitions.filter((t) => t.label === null).length,
    );
  });

  it("annotates the net with how often each activity occurred, and thickens its arcs by it", () => {
    const model = discover(
      logFromTraces([
        ["a", "b"],
        ["a", "c"],
        ["a", "b"],
      ]),
    );
    const graph = netGraph(model.net, model.dfg);
    const labels = graph.nodes.filter((n) => n.shape === "box").map((n) => n.label);
    expect(labels.sort()).toEqual(["a (3)", "b (2)", "c (1)"]);
    const weights = graph.edges.map((e) => e.weight).filter((w) => w !== undefined);
    expect(Math.max(...(weights as number[]))).toBe(1);
    expect(Math.min(...(weights as number[]))).toBeCloseTo(1 / 3, 10);
    // Without the DFG the net is drawn as it is.
    expect(netGraph(model.net).nodes.some((n) => n.label.includes("("))).toBe(false);
  });
});
