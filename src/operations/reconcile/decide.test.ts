import { describe, expect, it } from "vitest";
import { decide, sameJson } from "./decide.ts";

const pre = { "file /a": { sha: "1" } };
const post = { "file /a": { sha: "2" } };

describe("decide (three-way reconcile)", () => {
  it("now = pre: already restored", () => {
    expect(decide({ pre, post }, { "file /a": { sha: "1" } }, sameJson)).toEqual({
      kind: "already_restored",
    });
  });
  it("now = post: undo as always", () => {
    expect(decide({ pre, post }, { "file /a": { sha: "2" } }, sameJson)).toEqual({ kind: "undo" });
  });
  it("a third state: a conflict naming the resource", () => {
    expect(decide({ pre, post }, { "file /a": { sha: "3" } }, sameJson)).toEqual({
      kind: "conflict",
      resources: ["file /a"],
    });
  });
  it("nothing recorded: undo as always", () => {
    expect(decide({}, { "file /a": { sha: "3" } }, sameJson)).toEqual({ kind: "undo" });
  });
  it("no post-state (in flight): pre is already restored, anything else is undone as always", () => {
    expect(decide({ pre }, { "file /a": { sha: "1" } }, sameJson).kind).toBe("already_restored");
    expect(decide({ pre }, { "file /a": { sha: "3" } }, sameJson).kind).toBe("undo");
  });
  it("two resources: one back as before, one as the step left it — undo, no conflict", () => {
    const p = { "file /a": 1, "file /b": 1 };
    const q = { "file /a": 2, "file /b": 2 };
    expect(decide({ pre: p, post: q }, { "file /a": 1, "file /b": 2 }, sameJson).kind).toBe("undo");
    expect(decide({ pre: p, post: q }, { "file /a": 3, "file /b": 2 }, sameJson)).toEqual({
      kind: "conflict",
      resources: ["file /a"],
    });
  });
});
