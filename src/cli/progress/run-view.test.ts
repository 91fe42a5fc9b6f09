import { describe, expect, it } from "vitest";
import { plainLine, RunView, type ViewEvent } from "./run-view.ts";

function stream(tty: boolean) {
  const out: string[] = [];
  return { out, status: { tty, colour: false, columns: 80, write: (text: string) => void out.push(text) } };
}

let seq = 0;
const ev = (type: string, data: Record<string, unknown>): ViewEvent => ({
  seq: ++seq,
  type,
  at: "2026-05-01T10:00:00.123Z",
  data,
});

describe("RunView", () => {
  it("on a terminal, redraws one table of targets × steps in place", () => {
    const { out, status } = stream(true);
    const view = new RunView(status, { operation: "roll", targets: ["a", "b"], steps: ["one", "two"] });
    view.event("run_1", ev("run.started", {}));
    view.event("run_1", ev("step.started", { target: "a", step: "one", action: "file.write" }));
    view.event("run_1", ev("step.succeeded", { target: "a", step_index: 0 }));
    view.close();
    view.event("run_1", ev("step.failed", { target: "b", step_index: 1, error: "boom" }));
    view.close();
    expect(out).toHaveLength(2);
    expect(out[0]).toContain("roll");
    expect(out[0]).toContain("1/4 steps · 0 failed · started");
    expect(out[0]).toMatch(/ {2}a +✓· /);
    // The second frame first moves the cursor back over the first one (3 lines) and clears it.
    expect(out[1]?.startsWith("\u001b[3F\u001b[J")).toBe(true);
    expect(out[1]).toMatch(/ {2}b +·✗ two: boom/);
    expect(out[1]).toContain("1 failed");
  });

  it("warns above the table when a step nothing can undo is about to run", () => {
    const { out, status } = stream(true);
    const view = new RunView(status, { operation: "roll", targets: ["a"], steps: ["restart"] });
    view.event("run_1", ev("step.irreversible", { target: "a", step: "restart", reason: "undo: none" }));
    view.close();
    expect(out[0]?.split("\n")[0]).toBe(
      "warning: point of no return: a restart cannot be undone (undo: none)",
    );
  });

  it("shows only the busy targets when there are many, and counts the rest", () => {
    const { out, status } = stream(true);
    const targets = Array.from({ length: 50 }, (_, i) => `t${i}`);
    const view = new RunView(status, { operation: "many", targets, steps: ["s"] });
    view.event("run_1", ev("step.started", { target: "t7", step: "s", action: "noop" }));
    view.close();
    const lines = (out[0] ?? "").trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain("t7");
    expect(lines[2]).toContain("49 more targets");
  });

  it("off a terminal, writes one plain line per event and never moves the cursor", () => {
    const { out, status } = stream(false);
    const view = new RunView(status, { operation: "roll", targets: ["a"], steps: ["one"] });
    view.event("run_1", ev("step.started", { target: "a", step: "one", action: "file.write" }));
    view.event("run_1", ev("run.succeeded", {}));
    view.close();
    expect(out).toEqual([
      "10:00:00.123  step.started  a one  file.write\n",
      "10:00:00.123  run.succeeded run_1\n",
    ]);
  });

  it("names the step of index-only events and explains failed checks", () => {
    const line = plainLine(
      "run_1",
      ev("check.failed", {
        target: "a",
        step: "two",
        phase: "post",
        check: "http",
        expected: "200",
        observed: "503",
      }),
      ["one", "two"],
    );
    expect(line).toBe("10:00:00.123  check.failed  a two  post http: expected 200, observed 503");
    expect(plainLine("run_1", ev("step.succeeded", { target: "a", step_index: 1 }), ["one", "two"])).toBe(
      "10:00:00.123  step.succeeded  a two",
    );
  });

  it("shows an undo plan: its length and first actions in the log, its progress in the table", () => {
    const planned = ev("step.undo_planned", {
      target: "a",
      step_index: 0,
      step: "drop",
      found: true,
      length: 3,
      plan: ["create bucket b", "put back b/k1"],
    });
    expect(plainLine("run_1", planned, ["drop"])).toBe(
      "10:00:00.123  step.undo_planned  a drop  3 actions: create bucket b, put back b/k1, … 1 more",
    );
    const { out, status } = stream(true);
    const view = new RunView(status, { operation: "drop", targets: ["a"], steps: ["drop"] });
    view.event("run_1", planned);
    view.close();
    expect(out[0]).toMatch(/ {2}a +↺ undoing drop by a plan of 3 actions/);
  });
});
