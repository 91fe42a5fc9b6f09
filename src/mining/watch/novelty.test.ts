import { describe, expect, it } from "vitest";
import { ManualClock } from "../../core/index.ts";
import { treeToNet } from "../discovery/index.ts";
import { activity, operator } from "../discovery/process-tree.ts";
import { LearnedNovelty, type NoveltyCase } from "./novelty.ts";
import { Watcher } from "./watcher.ts";

const seq = treeToNet(operator("seq", ["a", "b", "c"].map(activity)));
const times = (n: number, activities: string[], ended = true): NoveltyCase[] =>
  Array.from({ length: n }, () => ({ activities, ended }));

function watch(learned: readonly NoveltyCase[], events: [string, string][], alarmBudget?: number) {
  const watcher = new Watcher(
    { net: seq },
    {
      clock: new ManualClock("2026-03-01T10:00:00Z"),
      novelty: new LearnedNovelty(learned),
      ...(alarmBudget === undefined ? {} : { alarmBudget }),
    },
  );
  return events.flatMap(([c, a], i) => watcher.event({ case: c, activity: a, line: i + 1 }));
}

describe("LearnedNovelty", () => {
  it("estimates the chance of a new successor as distinct successors / (observations + distinct), once per case", () => {
    const n = new LearnedNovelty([
      ...times(3, ["a", ...Array<string>(50).fill("b"), "c"]),
      { activities: ["a", "d"], ended: true },
    ]);
    // After a: b (3 cases) and d (1): 2 successors, 4 observations. The 49 b → b repeats of a
    // case are one observation each case: b was followed by b and c in 3 cases, 6 observations.
    expect(n.escape("a")).toBeCloseTo(2 / 6, 10);
    expect(n.escape("b")).toBeCloseTo(2 / 8, 10);
    expect(n.escape(undefined)).toBeCloseTo(1 / 5, 10); // every case starts with a
    expect(n.escape("zz")).toBe(1); // a context never seen knows nothing
    // Activities: 4 distinct; per case 3 (a, b, c) or 2 (a, d): 11 observations.
    expect(n.newActivity).toBeCloseTo(4 / 15, 10);
    expect(n.novelty("a", "b")).toBe(0); // seen there: not new
    expect(n.novelty("a", "c")).toBeCloseTo(2 / 6, 10); // known, but never after a
    expect(n.novelty("a", "zz")).toBeCloseTo(4 / 15, 10); // never seen at all
    expect(n.novelty("c", undefined)).toBe(0); // cases ended after c
    expect(n.novelty("b", undefined)).toBeCloseTo(2 / 8, 10);
  });

  it("learns nothing about ends from cases still going when learning stopped", () => {
    const n = new LearnedNovelty([...times(10, ["a", "b", "c"]), ...times(5, ["a", "b"], false)]);
    expect(n.novelty("b", undefined)).toBeCloseTo(1 / 11, 10); // only c ever followed b
    expect(n.summary(0.01)).toEqual({ contexts: 4, thin: 4, newActivity: 3 / 43 }); // 10 × 3 + 5 × 2 activities per case
    expect(n.summary(0.5).thin).toBe(0);
  });
});

describe("Watcher with a learned sample", () => {
  const SKIP: [string, string][] = [
    ["x", "a"],
    ["x", "c"], // proves b skipped
    ["x", "b"], // late
    ["y", "a"],
    ["y", "zz"], // never seen in learning
  ];

  it("calls a new step in a well-covered context an alarm", () => {
    const out = watch(times(200, ["a", "b", "c"]), SKIP);
    expect(out.map((d) => [d.case, d.kind, d.severity])).toEqual([
      ["x", "missing", "alarm"],
      ["x", "wrong-order", "alarm"],
      ["y", "unexpected", "alarm"],
    ]);
    expect(out[0]?.novelty).toBeCloseTo(1 / 201, 10); // only b ever followed a, in 200 cases
    expect(out[2]?.novelty).toBeCloseTo(3 / 603, 10);
  });

  it("calls it a note where the sample is thin, with the learned chance of something new", () => {
    const out = watch(times(8, ["a", "b", "c"]), SKIP);
    expect(out.map((d) => [d.case, d.kind, d.severity])).toEqual([
      ["x", "missing", "note"],
      ["x", "wrong-order", "note"],
      ["y", "unexpected", "note"],
    ]);
    expect(out[0]?.novelty).toBeCloseTo(1 / 9, 10);
  });

  it("takes the budget it is given", () => {
    expect(watch(times(8, ["a", "b", "c"]), SKIP, 0.2).map((d) => d.severity)).toEqual([
      "alarm",
      "alarm",
      "alarm",
    ]);
    expect(watch(times(200, ["a", "b", "c"]), SKIP, 0).map((d) => d.severity)).toEqual([
      "note",
      "note",
      "note",
    ]);
  });

  it("keeps a step seen in learning an alarm, however thin the context: the model calls it", () => {
    // c once followed a in learning, but b is not optional in the model the watcher holds.
    const out = watch([...times(3, ["a", "b", "c"]), { activities: ["a", "c"], ended: true }], SKIP, 0);
    expect(out[0]).toMatchObject({ kind: "missing", severity: "alarm", novelty: 0 });
  });
});
