import { describe, expect, it } from "vitest";
import type { EventLog } from "../eventlog/index.ts";
import { discoverDfg } from "./dfg.ts";

const at = (minutes: number) => Date.UTC(2024, 0, 1, 0, minutes);

/** Three cases: a b c (1 and 3 minutes apart), a c (10), a b b c (1, 2, 5). */
const LOG: EventLog = {
  attributes: {},
  attributeTypes: { log: {}, trace: {}, event: {} },
  cases: [
    { id: "1", attributes: {}, events: ["a:0", "b:1", "c:4"].map(ev) },
    { id: "2", attributes: {}, events: ["a:0", "c:10"].map(ev) },
    { id: "3", attributes: {}, events: ["a:0", "b:1", "b:3", "c:8"].map(ev) },
  ],
};
function ev(spec: string) {
  const [activity, minute] = spec.split(":") as [string, string];
  return { activity, timestamp: at(Number(minute)), attributes: {} };
}

describe("discoverDfg", () => {
  it("counts activities, directly-follows pairs, start and end activities", () => {
    const dfg = discoverDfg(LOG);
    expect(dfg.cases).toBe(3);
    expect(dfg.events).toBe(9);
    expect(dfg.activities).toEqual([
      { name: "a", count: 3 },
      { name: "b", count: 3 },
      { name: "c", count: 3 },
    ]);
    expect(dfg.edges.map((e) => [e.source, e.target, e.count])).toEqual([
      ["a", "b", 2],
      ["b", "c", 2],
      ["a", "c", 1],
      ["b", "b", 1],
    ]);
    expect(dfg.start).toEqual({ a: 3 });
    expect(dfg.end).toEqual({ c: 3 });
  });

  it("gives the mean and median time between followers", () => {
    const dfg = discoverDfg(LOG);
    const edge = (s: string, t: string) => dfg.edges.find((e) => e.source === s && e.target === t);
    // 3 and 5 minutes: P90 by nearest rank is the larger.
    expect(edge("b", "c")).toMatchObject({
      meanMs: 4 * 60_000,
      medianMs: 4 * 60_000,
      p90Ms: 5 * 60_000,
      timed: 2,
    });
    expect(edge("a", "b")).toMatchObject({ meanMs: 60_000, medianMs: 60_000 });
    expect(edge("a", "c")).toMatchObject({ meanMs: 600_000, medianMs: 600_000 });
  });

  it("has no durations where events have no timestamps", () => {
    const log: EventLog = {
      ...LOG,
      cases: [
        {
          id: "x",
          attributes: {},
          events: ["a", "b"].map((activity) => ({ activity, timestamp: null, attributes: {} })),
        },
      ],
    };
    expect(discoverDfg(log).edges).toEqual([
      { source: "a", target: "b", count: 1, meanMs: null, medianMs: null, p90Ms: null, timed: 0 },
    ]);
  });
});
