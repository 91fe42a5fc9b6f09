import { ActionFailedError, ActionInputError } from "../errors.ts";
import type { ActionProvider } from "../provider.ts";
import { drawMs, nextRandom, parseDurationSpec, parseFailRate, parseMs, parseSeed } from "./draw.ts";

const ACTION = "noop";
const FIELDS = ["sleep", "duration", "fail_rate", "seed"];

/** `500ms`, `10s`, `5m`, `1h` (OPERATIONS.md "Durations") or a number of milliseconds. */
export function parseSleep(value: unknown): number {
  return value === undefined ? 0 : parseMs("sleep", value);
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
 * `noop {sleep? | duration?, fail_rate?, seed?}` — does nothing, optionally for a while (stopped
 * early by the run's signal). With `duration` (a distribution) and `fail_rate` it takes time and
 * fails at known, seeded random rates: the ground truth `opsdojo simulate` is validated against.
 * Waiting goes through the engine's `sleep` when it has one (a test's virtual time).
 *
 * @example
 * { uses: noop, with: { sleep: 2s } }
 * { uses: noop, with: { duration: { median: 2s, sigma: 0.3 }, fail_rate: 0.01, seed: "${target.name}" } }
 */
export const noop: ActionProvider<Record<string, unknown>, null, { slept_ms: number }> = {
  action: ACTION,
  validate(input) {
    if (typeof input !== "object" || input === null || Array.isArray(input))
      throw new ActionInputError(ACTION, "with", "must be an object");
    for (const key of Object.keys(input))
      if (!FIELDS.includes(key))
        throw new ActionInputError(ACTION, key, `unknown field; expected one of ${FIELDS.join(", ")}`);
    if (input.sleep !== undefined && input.duration !== undefined)
      throw new ActionInputError(ACTION, "duration", "give sleep or duration, not both");
    parseSleep(input.sleep);
    if (input.duration !== undefined) parseDurationSpec(input.duration);
    parseFailRate(input.fail_rate);
    parseSeed(input.seed);
  },
  async describe(input) {
    const ms = parseSleep(input.sleep);
    const extra =
      input.duration !== undefined
        ? `waits a drawn duration${input.fail_rate ? `, fails ${Number(input.fail_rate) * 100}% of calls` : ""}`
        : ms > 0
          ? `waits ${ms} ms`
          : undefined;
    return [{ resource: "nothing", change: "none", ...(extra ? { detail: extra } : {}) }];
  },
  async capture() {
    return null;
  },
  async act(input, _state, context) {
    const failRate = parseFailRate(input.fail_rate);
    const random =
      input.duration !== undefined || failRate > 0
        ? nextRandom(context.runId, parseSeed(input.seed))
        : undefined;
    const ms =
      input.duration !== undefined && random
        ? drawMs(parseDurationSpec(input.duration), random)
        : parseSleep(input.sleep);
    // Drawn before waiting, so a call's outcome does not depend on how long the wait really took.
    const fails = random !== undefined && failRate > 0 && random() < failRate;
    try {
      if (ms > 0) await (context.sleep ?? sleep)(ms, context.signal);
    } catch (error) {
      throw new ActionFailedError(ACTION, "stopped while sleeping", { retryable: true, cause: error });
    }
    if (fails)
      throw new ActionFailedError(ACTION, `failed on purpose (fail_rate ${failRate})`, { retryable: true });
    return { slept_ms: ms };
  },
  async undo() {
    return { restored: true, detail: "nothing to undo" };
  },
};
