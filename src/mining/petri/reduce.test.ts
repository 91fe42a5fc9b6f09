import { describe, expect, it } from "vitest";
import { treeToNet } from "../discovery/index.ts";
import { activity, loop, operator, TAU } from "../discovery/process-tree.ts";
import { acceptsTrace } from "./accepts.ts";
import { netSize } from "./model.ts";
import { reduceSilent } from "./reduce.ts";

const t = (s: string) => s.split(" ").filter((x) => x !== "");

// a ; *( b ; (c ∥ d), e ) ; X(f, τ)
const tree = operator("seq", [
  activity("a"),
  loop(operator("seq", [activity("b"), operator("and", [activity("c"), activity("d")])]), activity("e")),
  operator("xor", [activity("f"), TAU]),
]);

describe("reduceSilent", () => {
  it("removes pass-along silent transitions and keeps the language", () => {
    const net = treeToNet(tree);
    const reduced = reduceSilent(net);
    expect(netSize(reduced).silent).toBeLessThan(netSize(net).silent);
    expect(netSize(reduced).places).toBeLessThan(netSize(net).places);
    const accepted = ["a b c d", "a b d c f", "a b c d e b d c", "a b c d e b c d f"];
    const rejected = ["a b c", "a b c d e", "b c d", "a b c d f f", "a e b c d"];
    for (const trace of accepted) {
      expect(acceptsTrace(net, t(trace)), trace).toBe(true);
      expect(acceptsTrace(reduced, t(trace)), trace).toBe(true);
    }
    for (const trace of rejected) {
      expect(acceptsTrace(net, t(trace)), trace).toBe(false);
      expect(acceptsTrace(reduced, t(trace)), trace).toBe(false);
    }
  });

  it("keeps the marked source and sink places", () => {
    const reduced = reduceSilent(treeToNet(operator("xor", [TAU, activity("a")])));
    expect(reduced.initialMarking).toHaveLength(1);
    expect(reduced.finalMarking).toHaveLength(1);
    expect(reduced.places[reduced.initialMarking[0]?.place as number]?.name).toBe("source");
    expect(reduced.places[reduced.finalMarking[0]?.place as number]?.name).toBe("sink");
    expect(acceptsTrace(reduced, [])).toBe(true);
    expect(acceptsTrace(reduced, ["a"])).toBe(true);
  });
});
