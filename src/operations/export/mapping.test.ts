import { describe, expect, it } from "vitest";
import type { JournalEvent } from "../journal/index.ts";
import { JournalDataError } from "./errors.ts";
import { StepIndex, toLogEvent } from "./mapping.ts";

const steps = new StepIndex([
  { target: "app-1", stepIndex: 0, stepName: "write-config", action: "file.write" },
  { target: "app-2", stepIndex: 0, stepName: "write-config", action: "file.write" },
  { target: "app-1", stepIndex: 1, stepName: "restart", action: "shell.run" },
]);

function event(seq: number, type: string, data: Record<string, unknown>): JournalEvent {
  return { seq, type, at: "2026-05-01T10:00:00.123+02:00", data };
}

const mapped = (e: JournalEvent) => {
  const result = toLogEvent("run_1", e, steps);
  return result && [result.target, result.event.activity, result.event.lifecycle, result.event.action];
};

describe("toLogEvent", () => {
  it("maps each step event to its activity and standard lifecycle value", () => {
    const at = (type: string, extra: Record<string, unknown> = {}) =>
      mapped(event(5, type, { target: "app-1", step_index: 1, ...extra }));
    expect(
      mapped(event(2, "step.started", { target: "app-1", step: "restart", action: "shell.run" })),
    ).toEqual(["app-1", "restart", "start", "shell.run"]);
    expect(at("step.succeeded")).toEqual(["app-1", "restart", "complete", "shell.run"]);
    expect(at("step.failed", { error: "exit 3" })).toEqual(["app-1", "restart", "ate_abort", "shell.run"]);
    expect(at("step.undo_started")).toEqual(["app-1", "restart (undo)", "start", "shell.run"]);
    expect(at("step.undone")).toEqual(["app-1", "restart (undo)", "complete", "shell.run"]);
    expect(at("step.undo_failed", { reason: "no undo" })).toEqual([
      "app-1",
      "restart (undo)",
      "ate_abort",
      "shell.run",
    ]);
    expect(
      mapped(event(6, "step.retrying", { target: "app-1", step: "restart", attempt: 1, reason: "exit 3" })),
    ).toEqual(["app-1", "restart (retry)", "complete", "shell.run"]);
  });

  it("names a failed check by its phase, also for a step that never started (no action then)", () => {
    const check = (target: string, step: string, phase: string) =>
      mapped(event(7, "check.failed", { target, step, phase, check: "c", expected: "200", observed: "503" }));
    expect(check("app-1", "restart", "post")).toEqual([
      "app-1",
      "restart (post-check failed)",
      "complete",
      "shell.run",
    ]);
    expect(check("app-2", "restart", "pre")).toEqual(["app-2", "restart (pre-check failed)", "complete", ""]);
    const result = toLogEvent(
      "run_1",
      event(7, "check.failed", {
        target: "app-1",
        step: "restart",
        phase: "post",
        check: "http",
        expected: "200",
        observed: "503",
      }),
      steps,
    );
    expect(result?.event.message).toBe("post-condition http: expected 200, observed 503");
  });

  it("keeps the journal's time in UTC with milliseconds, its sequence number and what it said", () => {
    const result = toLogEvent(
      "run_1",
      event(9, "step.failed", { target: "app-2", step_index: 0, error: "disk full" }),
      steps,
    );
    expect(result?.event).toEqual({
      activity: "write-config",
      lifecycle: "ate_abort",
      timestamp: "2026-05-01T08:00:00.123Z",
      action: "file.write",
      journalEvent: "step.failed",
      seq: 9,
      message: "disk full",
    });
  });

  it("leaves out what is not about a step of a target", () => {
    expect(mapped(event(1, "run.started", { operation: "roll" }))).toBeUndefined();
    expect(mapped(event(3, "batch.started", { targets: ["app-1"] }))).toBeUndefined();
    expect(mapped(event(4, "run.rolled_back", { unrestored: [] }))).toBeUndefined();
  });

  it("refuses a step event it cannot name, or a time that is not one", () => {
    expect(() =>
      toLogEvent("run_1", event(4, "step.succeeded", { target: "app-3", step_index: 0 }), steps),
    ).toThrow(JournalDataError);
    expect(() =>
      toLogEvent(
        "run_1",
        { ...event(4, "step.succeeded", { target: "app-1", step_index: 0 }), at: "soon" },
        steps,
      ),
    ).toThrow('run run_1, event 4: "soon" is not a timestamp');
  });
});
