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
});
