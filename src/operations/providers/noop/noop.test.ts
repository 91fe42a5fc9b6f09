import { afterEach, describe, expect, it, vi } from "vitest";
import { FileBlobStore } from "../../../store/index.ts";
import { ActionFailedError, ActionInputError } from "../errors.ts";
import type { ActionContext } from "../provider.ts";
import { noop, parseSleep } from "./noop.ts";

function context(signal: AbortSignal): ActionContext {
  // The blob store is never touched by noop; a path that does not exist proves it.
  return { runId: "01RUN", blobs: new FileBlobStore("/nonexistent/opsdojo-blobs"), signal };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("noop", () => {
  it("does nothing, with nothing to undo", async () => {
    const ctx = context(new AbortController().signal);
    const state = await noop.capture({}, ctx);
    expect(await noop.act({}, state, ctx)).toEqual({ slept_ms: 0 });
    expect(await noop.undo({}, state, ctx)).toEqual({ restored: true, detail: "nothing to undo" });
    expect(await noop.describe({ sleep: "2s" }, ctx)).toEqual([
      { resource: "nothing", change: "none", detail: "waits 2000 ms" },
    ]);
  });

  it("sleeps for the given duration (on an injected clock)", async () => {
    vi.useFakeTimers();
    const ctx = context(new AbortController().signal);
    let done = false;
    const acting = noop.act({ sleep: "10s" }, null, ctx).then((output) => {
      done = true;
      return output;
    });
    await vi.advanceTimersByTimeAsync(9_999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await acting).toEqual({ slept_ms: 10_000 });
  });

  it("stops sleeping when the run's signal is aborted, as a retryable failure", async () => {
    const controller = new AbortController();
    const acting = noop.act({ sleep: "1h" }, null, context(controller.signal));
    controller.abort(new Error("timeout"));
    const error = await acting.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ActionFailedError);
    expect(error).toMatchObject({ retryable: true });
    const aborted = AbortSignal.abort();
    await expect(noop.act({ sleep: 5 }, null, context(aborted))).rejects.toBeInstanceOf(ActionFailedError);
  });

  it("validates sleep", () => {
    expect(parseSleep("500ms")).toBe(500);
    expect(parseSleep("5m")).toBe(300_000);
    expect(parseSleep("1h")).toBe(3_600_000);
    expect(parseSleep(250)).toBe(250);
    expect(() => noop.validate({ sleep: "soon" })).toThrow(ActionInputError);
    expect(() => noop.validate({ sleep: -1 })).toThrow(ActionInputError);
    expect(() => noop.validate({ slep: "1s" })).toThrow(/unknown field/);
  });

  it("takes a drawn duration and fails at its fail_rate, the same draws for the same seed", async () => {
    const waited: number[] = [];
    const ctx = (runId: string): ActionContext => ({
      ...context(new AbortController().signal),
      runId,
      sleep: async (ms) => {
        waited.push(ms);
      },
    });
    const input = { duration: { min: "1s", max: "3s" }, fail_rate: 0.3, seed: "host-1" };
    const outcomes = async (runId: string) => {
      const out: string[] = [];
      for (let i = 0; i < 200; i++)
        out.push(
          await noop.act(input, null, ctx(runId)).then(
            (o) => String(o.slept_ms),
            () => "failed",
          ),
        );
      return out;
    };
    const first = await outcomes("01RUN-A");
    expect(await outcomes("01RUN-B")).toEqual(first); // the seed decides, not the run
    const failures = first.filter((o) => o === "failed").length;
    expect(failures).toBeGreaterThan(35); // 30 % of 200, give or take
    expect(failures).toBeLessThan(85);
    // A failed call waited too: every call slept through the injected sleep, within its bounds.
    expect(waited).toHaveLength(400);
    expect(Math.min(...waited)).toBeGreaterThanOrEqual(1000);
    expect(Math.max(...waited)).toBeLessThanOrEqual(3000);
    const error = await noop.act({ fail_rate: 1 }, null, ctx("01RUN-C")).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "action_failed", retryable: true });
  });

  it("validates duration, fail_rate and seed", () => {
    expect(() =>
      noop.validate({ duration: { median: "2s", sigma: 0.3 }, fail_rate: 0.1, seed: 7 }),
    ).not.toThrow();
    expect(() => noop.validate({ duration: "2s", sleep: "1s" })).toThrow(/sleep or duration, not both/);
    expect(() => noop.validate({ duration: { min: "3s", max: "1s" } })).toThrow(
      /duration.max: must not be less/,
    );
    expect(() => noop.validate({ duration: { median: "2s" } })).toThrow(/log-normal/);
    expect(() => noop.validate({ fail_rate: 2 })).toThrow(/fail_rate: must be a number from 0 to 1/);
    expect(() => noop.validate({ seed: { a: 1 } })).toThrow(/seed: must be a string or a number/);
  });
});
