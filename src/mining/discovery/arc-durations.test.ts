import { describe, expect, it } from "vitest";
import { type EventLog, emptyAttributeTypes, logFromTraces } from "../eventlog/index.ts";
import { arcDurations } from "./arc-durations.ts";
import { discover, modelToJson, renderModel } from "./discover.ts";
import { summarize } from "./duration-stats.ts";
import { durationText } from "./render/duration-text.ts";
import { dfgGraph, netGraph } from "./render/graph.ts";

/** Cases as "activity@seconds" (or "activity@-" for an event without a timestamp). */
function timedLog(cases: string[]): EventLog {
  return {
    attributes: {},
    attributeTypes: emptyAttributeTypes(),
    cases: cases.map((c, i) => ({
      id: String(i + 1),
      attributes: {},
      events: c.split(" ").map((e) => {
        const [activity, at] = e.split("@") as [string, string];
        return { activity, timestamp: at === "-" ? null : Number(at) * 1000, attributes: {} };
      }),
    })),
  };
}

// a→b: 1 s, 3 s, 2 s (case 4's a has no time); b→c: 3 s, 2 s, 10 s, 1 s.
const log = timedLog(["a@0 b@1 c@4", "a@0 b@3 c@5", "a@0 b@2 c@12", "a@- b@1 c@2"]);

/** The arc into the visible transition with this label (there is one in these nets). */
function arcInto(net: ReturnType<typeof discover>["net"], label: string): number {
  const i = net.arcs.findIndex((a) => a.toTransition && net.transitions[a.transition]?.label === label);
  expect(i).toBeGreaterThanOrEqual(0);
  return i;
}

describe("durations", () => {
  it("summarizes times: median, nearest-rank P90, mean, count", () => {
    expect(summarize([])).toBeNull();
    expect(summarize([5, 1, 3])).toEqual({ count: 3, medianMs: 3, p90Ms: 5, meanMs: 3 });
    expect(summarize([10, 9, 8, 7, 6, 5, 4, 3, 2, 1])).toEqual({
      count: 10,
      medianMs: 5.5,
      p90Ms: 9,
      meanMs: 5.5,
    });
  });

  it("keeps median, P90, mean and the timed pairs on every directly-follows edge", () => {
    const { dfg } = discover(log, { algorithm: "dfg" });
    const edge = (s: string, t: string) => dfg.edges.find((e) => e.source === s && e.target === t);
    expect(edge("a", "b")).toEqual({
      source: "a",
      target: "b",
      count: 4,
      meanMs: 2000,
      medianMs: 2000,
      p90Ms: 3000,
      timed: 3,
    });
    expect(edge("b", "c")).toMatchObject({ count: 4, medianMs: 2500, p90Ms: 10_000, meanMs: 4000, timed: 4 });
  });

  it("puts the same times on the net's arcs in a sequence, and none on the arc out of the source", () => {
    const model = discover(log);
    const d = model.arcDurations ?? [];
    expect(d).toHaveLength(model.net.arcs.length);
    expect(d[arcInto(model.net, "b")]).toEqual({ count: 3, medianMs: 2000, p90Ms: 3000, meanMs: 2000 });
    expect(d[arcInto(model.net, "c")]).toEqual({ count: 4, medianMs: 2500, p90Ms: 10_000, meanMs: 4000 });
    expect(d[arcInto(model.net, "a")]).toBeNull();
    // Arcs out of transitions carry no time of their own.
    model.net.arcs.forEach((a, i) => {
      if (!a.toTransition) expect(d[i]).toBeNull();
    });
    expect(modelToJson(model).arc_durations).toEqual(d);
  });

  it("does not count interleaving in a parallel block as waiting", () => {
    // a, then b and c in either order, then d.
    const model = discover(timedLog(["a@0 b@1 c@3 d@6", "a@0 c@2 b@3 d@7"]));
    expect(model.tree && JSON.stringify(model.tree)).toContain('"and"');
    const d = arcDurations(timedLog(["a@0 b@1 c@3 d@6", "a@0 c@2 b@3 d@7"]), model.net);
    expect(d[arcInto(model.net, "b")]).toEqual({ count: 1, medianMs: 1000, p90Ms: 1000, meanMs: 1000 });
    expect(d[arcInto(model.net, "c")]).toEqual({ count: 1, medianMs: 2000, p90Ms: 2000, meanMs: 2000 });
    expect(d[arcInto(model.net, "d")]).toEqual({ count: 2, medianMs: 3500, p90Ms: 4000, meanMs: 3500 });
  });

  it("writes times in units a person reads", () => {
    expect([850, 4200, 42_000, 210_000, 7_560_000, 129_600_000].map(durationText)).toEqual([
      "850 ms",
      "4.2 s",
      "42 s",
      "3.5 min",
      "2.1 h",
      "1.5 d",
    ]);
  });
});

describe("durations on drawn arcs", () => {
  it("labels the DFG's edges with frequency and median, the rest on hover", () => {
    const { dfg } = discover(log, { algorithm: "dfg" });
    const ab = (arcs?: "frequency" | "duration" | "both") =>
      dfgGraph(dfg, arcs).edges.find((e) => e.source === "a0" && e.target === "a1");
    expect(dfg.activities.map((a) => a.name)).toEqual(["a", "b", "c"]);
    expect(ab()).toMatchObject({
      label: "4× · 2 s",
      title: "median 2 s, P90 3 s, mean 2 s over 3 timed pairs",
    });
    expect(ab("frequency")).toEqual({ source: "a0", target: "a1", label: "4", weight: 1 });
    expect(ab("duration")?.label).toBe("2 s");
  });

  it("draws frequency and time on the net's arcs in SVG and DOT, as ?arcs says", () => {
    const model = discover(log);
    const svg = renderModel(model, "svg");
    expect(svg).toContain(">4× · 2 s</text>");
    expect(svg).toContain(">4× · 2.5 s</text>");
    expect(svg).toContain("<title>median 2.5 s, P90 10 s, mean 4 s over 4 timed pairs</title>");
    const dot = renderModel(model, "dot");
    expect(dot).toContain('label="4× · 2 s"');
    expect(dot).toContain('tooltip="median 2 s, P90 3 s, mean 2 s over 3 timed pairs"');
    const onlyTime = renderModel(model, "svg", { arcs: "duration" });
    expect(onlyTime).toContain(">2 s</text>");
    expect(onlyTime).not.toContain("×");
    const onlyFrequency = renderModel(model, "svg", { arcs: "frequency" });
    expect(onlyFrequency).not.toContain("×");
    expect(onlyFrequency).not.toContain("median");
    expect(onlyFrequency).toBe(toSvgWithoutTimes(model));
  });

  it("leaves a model mined from a log without timestamps as it was: no times, no hover", () => {
    const model = discover(logFromTraces(["a b c", "a b c"].map((t) => t.split(" "))));
    expect(model.arcDurations).toBeUndefined();
    expect(modelToJson(model)).not.toHaveProperty("arc_durations");
    expect(model.dfg.edges.every((e) => e.medianMs === null && e.p90Ms === null && e.timed === 0)).toBe(true);
    const svg = renderModel(model, "svg");
    expect(svg).not.toContain("×");
    expect(svg).not.toContain("median");
    expect(dfgGraph(model.dfg).edges.map((e) => e.label)).toEqual(["2", "2", "2", "2"]);
    // Asking for durations of an untimed model draws no arc labels rather than failing.
    expect(netGraph(model.net, model.dfg, { arcs: "duration" }).edges.every((e) => !e.label)).toBe(true);
  });
});

function toSvgWithoutTimes(model: ReturnType<typeof discover>): string {
  const { arcDurations: _, ...untimed } = model;
  return renderModel(untimed, "svg");
}
