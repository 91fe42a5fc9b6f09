import { ActionFailedError, ActionInputError } from "../errors.ts";
import type { ActionProvider } from "../provider.ts";

const ACTION = "noop";
const UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/** `500ms`, `10s`, `5m`, `1h` (OPERATIONS.md "Durations") or a number of milliseconds. */
export function parseSleep(value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) return value;
  if (typeof value === "string") {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(value);
    if (match?.[1] !== undefined && match[2] !== undefined)
      return Number(match[1]) * UNITS[match[2] as keyof typeof UNITS];
  }
  throw new ActionInputError(ACTION, "sleep", 'must be a duration such as "500ms", "10s", "5m", "1h"');
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * `noop {sleep?}` — does nothing, optionally for a while (stopped early by the run's signal).
 * For tests, simulations and examples.
 *
 * @example
 * { uses: noop, with: { sleep: 2s } }
 */
export const noop: ActionProvider<Record<string, unknown>, null, { slept_ms: number }> = {
  action: ACTION,
  validate(input) {
    if (typeof input !== "object" || input === null || Array.isArray(input))
      throw new ActionInputError(ACTION, "with", "must be an object");
    for (const key of Object.keys(input))
      if (key !== "sleep") throw new ActionInputError(ACTION, key, "unknown field; expected sleep");
    parseSleep(input.sleep);
  },
  async describe(input) {
    const ms = parseSleep(input.sleep);
    return [{ resource: "nothing", change: "none", ...(ms > 0 ? { detail: `waits ${ms} ms` } : {}) }];
  },
  async capture() {
    return null;
  },
  async act(input, _state, context) {
    const ms = parseSleep(input.sleep);
    try {
      if (ms > 0) await sleep(ms, context.signal);
    } catch (error) {
      throw new ActionFailedError(ACTION, "stopped while sleeping", { retryable: true, cause: error });
    }
    return { slept_ms: ms };
  },
  async undo() {
    return { restored: true, detail: "nothing to undo" };
  },
};
