import { describe, expect, it } from "vitest";
import { logFromTraces, readEventLog } from "../eventlog/index.ts";
import { sharedEventLog } from "../eventlog/test-data.ts";
import { acceptsTrace, compileNet } from "../petri/index.ts";
import { heuristicsMiner } from "./heuristics.ts";

const t = (s: string) => s.split(" ");

describe("heuristicsMiner", () => {
  it("keeps dependencies above the threshold and drops rare reversals", () => {
    const log = logFromTraces([...Array(10).fill("a b c"), "a c b"].map(t));
    const { net } = heuristicsMiner(log);
    expect(net.edges.map((e) => [e.source, e.target, e.dependency])).toEqual([
      ["a", "b", 0.909], // (10 − 0) / (10 + 0 + 1)
      ["a", "c", 0.5], // (1 − 0) / (1 + 0 + 1)
      ["b", "c", 0.75], // (10 − 1) / (10 + 1 + 1)
    ]);
    const strict = heuristicsMiner(log, { dependencyThreshold: 0.8 }).net;
    expect(strict.edges.map((e) => `${e.source}>${e.target}`)).toEqual(["a>b", "b>c"]);
  });

  it("finds parallel branches (AND split and join) and self-loops, and its net replays them", () => {
    const traces = ["a b c d", "a c b d", "a b c d", "a c b d", "a e e d", "a e d"];
    const { net, petri } = heuristicsMiner(logFromTraces(traces.map(t)));
    expect(net.splits.a).toEqual([["b", "c"], ["e"]]);
    expect(net.joins.d).toEqual([["b", "c"], ["e"]]);
    expect(net.edges.some((e) => e.source === "e" && e.target === "e")).toBe(true);
    const cn = compileNet(petri);
    for (const trace of traces) expect(acceptsTrace(cn, t(trace)), trace).toBe(true);
    expect(acceptsTrace(cn, t("a b d"))).toBe(false);
  });

  it("keeps rarely interleaved successors exclusive unless the AND threshold is lowered", () => {
    const traces = [...Array(10).fill("a b d"), ...Array(10).fill("a c d"), "a b c d", "a c b d"];
    const log = logFromTraces(traces.map(t));
    // AND measure of b, c after a: (1 + 1) / (11 + 11 + 1) ≈ 0.09
    expect(heuristicsMiner(log).net.splits.a).toEqual([["b"], ["c"]]);
    expect(heuristicsMiner(log, { andThreshold: 0.05 }).net.splits.a).toEqual([["b", "c"]]);
  });

  it("is deterministic and replays every case of the running example", async () => {
    const log = await readEventLog(sharedEventLog("running-example.xes.gz"));
    const first = heuristicsMiner(log);
    expect(JSON.stringify(heuristicsMiner(log))).toBe(JSON.stringify(first));
    const cn = compileNet(first.petri);
    for (const c of log.cases)
      expect(
        acceptsTrace(
          cn,
          c.events.map((e) => e.activity),
        ),
      ).toBe(true);
  });
});
