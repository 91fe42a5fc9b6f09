import { describe, expect, it } from "vitest";
import { treeToNet } from "../discovery/index.ts";
import { activity, loop, operator, TAU } from "../discovery/process-tree.ts";
import { PetriNetBuilder } from "../petri/index.ts";
import type { TraceAlignment } from "./alignment-model.ts";
import { alignLog, alignTrace } from "./alignments.ts";

const t = (s: string) => s.split(" ").filter((x) => x !== "");
const seq = (...xs: string[]) => operator("seq", xs.map(activity));
// a ; (b ∥ c) ; X(d, τ) ; e
const net = treeToNet(
  operator("seq", [
    activity("a"),
    operator("and", [activity("b"), activity("c")]),
    operator("xor", [activity("d"), TAU]),
    activity("e"),
  ]),
);

function aligned(n: Parameters<typeof alignTrace>[0], trace: string): TraceAlignment {
  const a = alignTrace(n, t(trace));
  if (a.cost === null) throw new Error(a.reason);
  return a;
}

describe("alignments", () => {
  it("aligns fitting traces at cost 0, through parallel and silent parts", () => {
    for (const trace of ["a b c d e", "a c b e", "a b c e"]) {
      const a = aligned(net, trace);
      expect(a.cost, trace).toBe(0);
      expect(a.fitness).toBe(1);
      expect(a.deviations).toEqual([]);
      expect(a.moves.filter((m) => m.kind === "sync").map((m) => m.activity)).toEqual(t(trace));
    }
  });

  it("finds a missing activity where it belongs", () => {
    const a = aligned(net, "a b e");
    expect(a.cost).toBe(1);
    expect(a.deviations).toEqual([{ kind: "missing", activity: "c", position: 2 }]);
    // worst: 3 log moves + the cheapest run (a b c e = 4)
    expect(a.worstCost).toBe(7);
    expect(a.fitness).toBeCloseTo(1 - 1 / 7, 10);
  });

  it("finds an unexpected activity at its position, known to the model or not", () => {
    expect(aligned(net, "a b x c e").deviations).toEqual([
      { kind: "unexpected", activity: "x", position: 2 },
    ]);
    expect(aligned(net, "a b c d d e").deviations).toEqual([
      { kind: "unexpected", activity: "d", position: 4 },
    ]);
  });

  it("reports a swap as wrong order: a log move and a model move of the same activity", () => {
    const a = aligned(treeToNet(seq("a", "b", "c", "d")), "a c b d");
    expect(a.cost).toBe(2);
    expect(a.deviations).toHaveLength(1);
    const [d] = a.deviations;
    expect(d?.kind).toBe("wrong-order");
    // Either b came late (at 2, wanted at 1) or c came early (at 1, wanted at 2 — before the event at 2 … 3).
    expect([
      { kind: "wrong-order", activity: "b", position: 2, expectedPosition: 1 },
      { kind: "wrong-order", activity: "c", position: 1, expectedPosition: 3 },
    ]).toContainEqual(d);
  });

  it("is optimal: a long skipped stretch costs its length, not more", () => {
    const a = aligned(treeToNet(seq("a", "b", "c", "d", "e", "f")), "a f");
    expect(a.cost).toBe(4);
    expect(a.deviations.map((d) => `${d.kind} ${d.activity} ${d.position}`)).toEqual([
      "missing b 1",
      "missing c 1",
      "missing d 1",
      "missing e 1",
    ]);
  });

  it("aligns loops: repeats the model allows are not deviations", () => {
    const l = treeToNet(operator("seq", [activity("a"), loop(activity("b"), activity("c")), activity("d")]));
    expect(aligned(l, "a b c b c b d").cost).toBe(0);
    const redo = aligned(l, "a b c d");
    expect(redo.cost).toBe(1);
    // Either the c is unexpected, or the b that must follow it is missing: both cost 1.
    expect([
      [{ kind: "unexpected", activity: "c", position: 2 }],
      [{ kind: "missing", activity: "b", position: 3 }],
    ]).toContainEqual(redo.deviations);
  });

  it("gives up on a net without a way to its final marking instead of searching forever", () => {
    const b = new PetriNetBuilder("stuck");
    const [p, q] = [b.place(), b.place()];
    b.connect(p, b.transition("a"), p);
    const stuck = b.build([{ place: p, tokens: 1 }], [{ place: q, tokens: 1 }]);
    expect(alignTrace(stuck, ["a"])).toMatchObject({ cost: null });
  });
});

describe("alignLog", () => {
  it("aligns each variant once and weights it by its cases", () => {
    const traces = [t("a b c e"), t("a b e"), t("a b c e"), t("a b e"), t("a c b d e")];
    const log = alignLog(net, traces);
    expect(log.traces).toBe(5);
    expect(log.variants).toHaveLength(3);
    expect(log.variants.map((v) => v.cases)).toEqual([[0, 2], [1, 3], [4]]);
    expect(log.fittingTraces).toBe(3);
    expect(log.failedTraces).toBe(0);
    expect(log.modelCost).toBe(4);
    // Σ cost = 2 × 1; Σ worst = 2 × (4+4) + 2 × (3+4) + (5+4)
    expect(log.logFitness).toBeCloseTo(1 - 2 / (16 + 14 + 9), 10);
    expect(log.averageFitness).toBeCloseTo((3 + 2 * (1 - 1 / 7)) / 5, 10);
  });
});
