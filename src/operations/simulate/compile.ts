import type { Random } from "../../core/index.ts";
import { draw, tailAtLeast } from "./distribution.ts";
import type { SimModel, StepModel } from "./model.ts";

/** Success paths drawn ahead: a target that passes every step resamples one of these. */
export const PATH_TABLE_SIZE = 16_384;

/**
 * A model made ready for fast simulation. The chance that a target fails, and at which step, is
 * exact (a cumulative table, one draw per target); the time of a target that passes every step is
 * resampled from a table of success paths drawn ahead from the same distributions, with each
 * step's part kept for the bottleneck and critical-path shares. Failing paths are rare and drawn
 * step by step when they happen.
 */
export interface Compiled {
  readonly model: SimModel;
  readonly steps: number;
  /** P(the target fails at a step ≤ s). */
  readonly failUpTo: Float64Array;
  /** P(the action itself fails | the target reached step s), the rest being a failed check. */
  readonly actionFails: Float64Array;
  /** Per attempt: chance of failing, the first and each retry (timeouts included where modelled). */
  readonly firstFail: Float64Array;
  readonly retryFail: Float64Array;
  /** Success paths: total ms, and each step's ms (PATH_TABLE_SIZE × steps, row-major). */
  readonly paths: Float64Array;
  readonly parts: Float64Array;
  /** Undoing every step of a target that passed them all. */
  readonly fullUndo: Float64Array;
}

/** Durations learned from the journal already count timed-out attempts as failures. */
const modelsTimeout = (step: StepModel) =>
  step.timeoutMs !== undefined && (step.source === "profile" || step.source === "default");

function attemptFailRates(step: StepModel): [number, number] {
  const tau = modelsTimeout(step) ? tailAtLeast(step.duration, step.timeoutMs as number) : 0;
  return [1 - (1 - step.failRate) * (1 - tau), 1 - (1 - step.retryFailRate) * (1 - tau)];
}

/** One attempt's duration, capped by the step's timeout where the model applies it. */
function attemptMs(step: StepModel, random: Random, ok: boolean): number {
  if (!modelsTimeout(step)) return draw(step.duration, random);
  const timeout = step.timeoutMs as number;
  if (!ok) {
    // A failed attempt either ran into the timeout or failed before it.
    const d = draw(step.duration, random);
    return Math.min(d, timeout);
  }
  for (let i = 0; i < 100; i++) {
    const d = draw(step.duration, random);
    if (d < timeout) return d;
  }
  return timeout;
}

/** A step that succeeds (action and checks): its retries, delays and check time included. */
export function stepSuccessMs(c: Compiled, s: number, random: Random): number {
  const step = c.model.steps[s] as StepModel;
  const first = c.firstFail[s] as number;
  const retry = c.retryFail[s] as number;
  // Conditioned on success: draw attempt outcomes until a sequence ends in success. A step that
  // (almost) never succeeds is only reached on paths the failure table makes (almost) impossible;
  // after many tries its last attempt is taken as the success.
  for (let tries = 0; ; tries++) {
    let ms = 0;
    for (let attempt = 0; attempt <= step.retries; attempt++) {
      const last = attempt === step.retries;
      const fails = !(last && tries >= MAX_TRIES) && random() < (attempt === 0 ? first : retry);
      ms += attemptMs(step, random, !fails);
      if (!fails) return ms + draw(step.checkLatency, random);
      if (!last) ms += step.retryDelayMs;
    }
  }
}

const MAX_TRIES = 1000;

/** A step that fails: every attempt failed, or the action passed and a check failed. */
export function stepFailureMs(c: Compiled, s: number, random: Random): number {
  const step = c.model.steps[s] as StepModel;
  if (random() < (c.actionFails[s] as number)) {
    let ms = 0;
    for (let attempt = 0; attempt <= step.retries; attempt++) {
      ms += attemptMs(step, random, false);
      if (attempt < step.retries) ms += step.retryDelayMs;
    }
    return ms;
  }
  return attemptMs(step, random, true) + draw(step.checkLatency, random);
}

export function compile(model: SimModel, random: Random): Compiled {
  const n = model.steps.length;
  const firstFail = new Float64Array(n);
  const retryFail = new Float64Array(n);
  const actionFails = new Float64Array(n);
  const failUpTo = new Float64Array(n);
  let survive = 1;
  for (const [s, step] of model.steps.entries()) {
    const [f1, fr] = attemptFailRates(step);
    firstFail[s] = f1;
    retryFail[s] = fr;
    const action = f1 * fr ** step.retries;
    const q = 1 - (1 - action) * (1 - step.checkFailRate);
    actionFails[s] = q > 0 ? action / q : 1;
    survive *= 1 - q;
    failUpTo[s] = 1 - survive;
  }
  const c: Compiled = {
    model,
    steps: n,
    failUpTo,
    actionFails,
    firstFail,
    retryFail,
    paths: new Float64Array(PATH_TABLE_SIZE),
    parts: new Float64Array(PATH_TABLE_SIZE * n),
    fullUndo: new Float64Array(PATH_TABLE_SIZE),
  };
  for (let i = 0; i < PATH_TABLE_SIZE; i++) {
    let total = 0;
    let undo = 0;
    for (let s = 0; s < n; s++) {
      const ms = stepSuccessMs(c, s, random);
      c.parts[i * n + s] = ms;
      total += ms;
      undo += draw((model.steps[s] as StepModel).undo, random);
    }
    c.paths[i] = total;
    c.fullUndo[i] = undo;
  }
  return c;
}
