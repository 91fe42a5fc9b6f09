import { describe, expect, it } from "vitest";
import { nextSteps } from "./run-render.ts";

describe("what a run's output offers next", () => {
  it("offers no undo where nothing is left to undo, and resume where a run paused", () => {
    expect(nextSteps({ id: "run_1", status: "succeeded" })).toBeUndefined();
    expect(nextSteps({ id: "run_1", status: "refused" })).toBe(
      "opsdojo runs show run_1 shows the journal; nothing was changed",
    );
    expect(nextSteps({ id: "run_1", status: "rolled_back" })).not.toMatch(/runs undo/);
    expect(nextSteps({ id: "run_1", status: "paused" })).toMatch(/runs resume run_1 continues it/);
    expect(nextSteps({ id: "run_1", status: "rollback_incomplete" })).toMatch(/runs undo run_1 undoes/);
    expect(nextSteps({ id: "run_1", status: "interrupted" })).toMatch(/runs undo run_1 undoes/);
  });
});
