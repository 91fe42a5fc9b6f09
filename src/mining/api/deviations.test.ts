import { describe, expect, it } from "vitest";
import { discover } from "../discovery/index.ts";
import { logFromTraces } from "../eventlog/index.ts";
import { caseDeviations } from "./deviations.ts";

// a, then b and c in either order (a parallel split), then d or e (a choice).
const TRACES = [
  ["a", "b", "c", "d"],
  ["a", "c", "b", "d"],
  ["a", "b", "c", "e"],
  ["a", "c", "b", "e"],
];
const net = discover(logFromTraces(TRACES), { algorithm: "inductive" }).net;

describe("caseDeviations", () => {
  it("finds nothing in the cases the model was discovered from, nor in their prefixes", () => {
    for (const trace of TRACES) {
      for (let n = 0; n <= trace.length; n++) expect(caseDeviations(net, trace.slice(0, n))).toEqual([]);
    }
  });

  it("flags an activity the model does not have, with what was allowed there", () => {
    expect(caseDeviations(net, ["a", "x", "b", "c", "d"])).toEqual([
      { index: 1, activity: "x", kind: "unknown_activity", expected: ["b", "c"] },
    ]);
  });

  it("flags a skipped step at the event that shows it, once, and judges the rest from there", () => {
    // d comes before c happened: visible at d; the case goes on as the model allows afterwards.
    expect(caseDeviations(net, ["a", "b", "d"])).toEqual([
      { index: 2, activity: "d", kind: "unexpected_activity", expected: ["c"] },
    ]);
  });

  it("flags an activity repeated where the model allows it once", () => {
    const found = caseDeviations(net, ["a", "b", "c", "d", "d"]);
    expect(found).toEqual([{ index: 4, activity: "d", kind: "unexpected_activity", expected: [] }]);
  });

  it("flags a case that starts in the middle at each branch that missed the start", () => {
    // a would have enabled both parallel branches: b and c each lack what it would have given.
    expect(caseDeviations(net, ["b", "c", "d"])).toEqual([
      { index: 0, activity: "b", kind: "unexpected_activity", expected: ["a"] },
      { index: 1, activity: "c", kind: "unexpected_activity", expected: ["a"] },
    ]);
  });
});
