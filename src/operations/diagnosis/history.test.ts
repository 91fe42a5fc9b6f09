import { describe, expect, it } from "vitest";
import { deviationOf, median, type PastRun, usualRange } from "./history.ts";
import type { FailurePoint } from "./model.ts";
import type { StepSpan } from "./timeline.ts";
import { spansOf } from "./timeline.ts";

const span = (step: string, ms: number, target = "app-1"): StepSpan => ({
  target,
  step,
  action: "noop",
  outcome: "succeeded",
  ms,
});

const past = (id: string, spans: StepSpan[], params: Record<string, unknown> = {}, version = 1): PastRun => ({
  id,
  version,
  params,
  spans,
});

const failure: FailurePoint = {
  target: "app-1",
  step: "verify",
  phase: "post",
  kind: "check",
  reason: "post-condition failed",
};

describe("deviation from earlier successful runs", () => {
  it("median and the usual range: median ± 3·MAD, with a floor, and nothing below 3 samples", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(usualRange([100, 120])).toBeUndefined();
    // MAD of [100, 110, 120, 130, 1000] around 120 is 10 (|−20|,|−10|,0,10,880 → 10); 10 % of 120 is 12.
    expect(usualRange([100, 110, 120, 130, 1000])).toEqual({ median: 120, low: 84, high: 156 });
    // Identical durations: the 10 ms floor keeps a millisecond of jitter from counting.
    expect(usualRange([2, 2, 2])).toEqual({ median: 2, low: 0, high: 32 });
  });

  it("says there is no history when there is none", () => {
    const d = deviationOf({
      history: [],
      spans: [span("write", 5)],
      stepOrder: ["write"],
      params: {},
      version: 1,
      failure,
    });
    expect(d).toMatchObject({ compared_runs: 0, failing_step_passed_before: 0 });
    expect(d.notes).toEqual(["no history: no earlier successful run of this operation to compare with"]);
  });

  it("flags a step far slower than usual, a step the usual path runs but this run skipped, changed params and version", () => {
    const history = [1, 2, 3, 4].map((i) =>
      past(`run_${i}`, [span("write", 20 + i), span("restart", 100 + i), span("verify", 10)], {
        release: "1.0",
      }),
    );
    const d = deviationOf({
      history,
      // restart is missing before verify; write took 900 ms instead of ~22 ms.
      spans: [span("write", 900), { ...span("verify", 5), outcome: "failed" }],
      stepOrder: ["write", "restart", "verify"],
      params: { release: "2.0" },
      version: 2,
      failure,
    });
    expect(d.compared_runs).toBe(4);
    expect(d.skipped_steps).toEqual([{ target: "app-1", step: "restart" }]);
    expect(d.unusual_durations).toEqual([
      { target: "app-1", step: "write", ms: 900, median_ms: 23, low_ms: 0, high_ms: 53 },
    ]);
    expect(d.changed_params).toEqual([{ name: "release", before: "1.0", now: "2.0" }]);
    expect(d.operation_changed).toEqual({ before: 1, now: 2 });
    expect(d.failing_step_passed_before).toBe(4);
    expect(d.notes).toContain("app-1 skipped restart, which the earlier runs ran");
    expect(d.notes).toContain("step verify passed in 4 of the 4 earlier successful runs");
  });

  it("a run like the earlier ones: no deviation", () => {
    const history = [1, 2, 3].map((i) => past(`run_${i}`, [span("write", 20 + i)]));
    const d = deviationOf({
      history,
      spans: [span("write", 22)],
      stepOrder: ["write"],
      params: {},
      version: 1,
      failure: undefined,
    });
    expect(d.unusual_durations).toEqual([]);
    expect(d.skipped_steps).toEqual([]);
    expect(d.notes).toEqual([
      "no deviation from the 3 earlier successful runs in steps, durations or params",
    ]);
  });
});

describe("step spans from events", () => {
  it("pairs each target's step.started with its next step.succeeded or step.failed; a restarted step replaces its open span", () => {
    const at = (ms: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, 0, ms)).toISOString();
    const events = [
      { seq: 1, type: "step.started", at: at(0), data: { target: "a", step: "write", action: "file.write" } },
      { seq: 2, type: "step.started", at: at(5), data: { target: "b", step: "write", action: "file.write" } },
      { seq: 3, type: "step.succeeded", at: at(30), data: { target: "a", step_index: 0 } },
      {
        seq: 4,
        type: "step.started",
        at: at(40),
        data: { target: "b", step: "write", action: "file.write" },
      },
      { seq: 5, type: "step.failed", at: at(90), data: { target: "b", step_index: 0, error: "x" } },
    ];
    expect(spansOf(events)).toEqual([
      { target: "a", step: "write", action: "file.write", outcome: "succeeded", ms: 30 },
      { target: "b", step: "write", action: "file.write", outcome: "open" },
      { target: "b", step: "write", action: "file.write", outcome: "failed", ms: 50 },
    ]);
  });
});
