import { describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import type { Clock } from "../../core/index.ts";
import { Journal } from "../../operations/index.ts";
import { openStore } from "../../store/index.ts";
import { stepsFromEvents } from "./steps-from-events.ts";

/**
 * The steps a server's events give must be the steps the journal keeps: written through the
 * real Journal on a real SQLite store, read back both ways.
 */
describe("stepsFromEvents", () => {
  it("rebuilds the journal's step records: names, states, errors, order, a step in flight", async () => {
    const store = await openStore({ home: await tempDir() });
    try {
      // Each reading of the clock a millisecond later: start times differ and order the steps.
      let ms = Date.parse("2026-12-01T00:00:00Z");
      const clock: Clock = { now: () => new Date(ms++) };
      const journal = new Journal(store, clock);
      const runId = await journal.startRun({
        operationId: "op_1",
        operationName: "roll",
        params: {},
        owner: "test",
        leaseMs: 60_000,
      });
      const step = (name: string) => ({ name, action: "file.write", input: { path: "/x" }, preState: null });
      const a0 = { runId, target: "app-1", stepIndex: 0 };
      const b0 = { runId, target: "app-2", stepIndex: 0 };
      const a1 = { runId, target: "app-1", stepIndex: 1 };
      const b1 = { runId, target: "app-2", stepIndex: 1 };
      await journal.intend(a0, step("write"));
      await journal.intend(b0, step("write"));
      await journal.finish(a0, {});
      await journal.finish(b0, {});
      await journal.intend(a1, step("verify"));
      await journal.fail(a1, "post-check failed");
      await journal.undoing(a0);
      await journal.undoFailed(a0, "disk full");
      await journal.intend(a0, step("write")); // resumed: the same step intended again
      await journal.finish(a0, {});
      await journal.intend(b1, step("verify")); // in flight: no outcome yet
      const kept = (await journal.steps(runId)).map((s) => ({
        target: s.target,
        stepIndex: s.stepIndex,
        stepName: s.stepName,
        action: s.action,
        state: s.state,
        error: s.error,
      }));
      expect(stepsFromEvents(await journal.events(runId, 0, 10_000))).toEqual(kept);
      expect(kept.map((s) => `${s.target}/${s.stepName}:${s.state}`)).toEqual([
        "app-1/write:done",
        "app-2/write:done",
        "app-1/verify:failed",
        "app-2/verify:intent",
      ]);
    } finally {
      await store.close();
      await removeTempDirs();
    }
  });
});
