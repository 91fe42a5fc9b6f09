import { describe, expect, it } from "vitest";
import { treeToNet } from "../discovery/index.ts";
import { activity, operator } from "../discovery/process-tree.ts";
import { replayLog, replayTrace } from "./token-replay.ts";

// a ; (b ∥ c) ; X(d, τ)
const net = treeToNet(
  operator("seq", [
    activity("a"),
    operator("and", [activity("b"), activity("c")]),
    operator("xor", [activity("d"), { op: "tau" }]),
  ]),
);
const t = (s: string) => s.split(" ").filter((x) => x !== "");

describe("token replay", () => {
  it("fits traces of the model perfectly, through silent transitions", () => {
    for (const trace of ["a b c d", "a c b", "a b c"]) {
      expect(replayTrace(net, t(trace)), trace).toMatchObject({ missing: 0, remaining: 0, fitness: 1 });
    }
  });

  it("counts missing and remaining tokens of a deviating trace", () => {
    // b is skipped: the join cannot fire, so d lacks its input token (1 missing); the token
    // waiting for b and the one c left for the join stay behind (2 remaining).
    const skipped = replayTrace(net, t("a c d"));
    expect(skipped).toMatchObject({ produced: 6, consumed: 5, missing: 1, remaining: 2 });
    expect(skipped.fitness).toBeCloseTo(0.5 * (1 - 1 / 5) + 0.5 * (1 - 2 / 6), 10);
    expect(skipped.fitness).toBeLessThan(1);
  });

  it("does not ignore an activity the model does not know", () => {
    const r = replayTrace(net, t("a x b c"));
    expect(r.unknown).toEqual(["x"]);
    expect(r.missing).toBe(1);
    expect(r.fitness).toBeLessThan(1);
  });

  it("aggregates over the log by its sums", () => {
    const log = replayLog(net, [t("a b c d"), t("a b c d"), t("a c d")]);
    expect(log.traces).toBe(3);
    expect(log.fittingTraces).toBe(2);
    expect(log.logFitness).toBeGreaterThan(0.9);
    expect(log.logFitness).toBeLessThan(1);
    expect(log.averageTraceFitness).toBeCloseTo((2 + replayTrace(net, t("a c d")).fitness) / 3, 10);
  });
});
