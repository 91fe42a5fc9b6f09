import type { CaseTrace } from "../export/index.ts";
import { STEP_OUTCOMES, type StepOutcome } from "./model.ts";

/** One step event of a case: the step, what became of it, when (epoch ms). `started` opens a step. */
export interface StepEvent {
  readonly step: string;
  readonly outcome: StepOutcome | "started";
  readonly at: number;
}

/** The export names a step's events `deploy`, `deploy (retry)`, `deploy (pre-check failed)`…: the step is before the suffix. */
const SUFFIX = / \((?:retry|undo|check failed|pre-check failed|post-check failed)\)$/;

/**
 * A case of the runs export as step events: what the run did to one target, in journal order.
 * Undo starts say nothing of the step's outcome and are left out.
 */
export function stepEventsOf(trace: CaseTrace): StepEvent[] {
  const out: StepEvent[] = [];
  for (const e of trace.events) {
    const step = e.activity.replace(SUFFIX, "");
    const at = Date.parse(e.timestamp);
    if (e.journalEvent === "step.started") out.push({ step, outcome: "started", at });
    else if (Object.hasOwn(STEP_OUTCOMES, e.journalEvent)) {
      out.push({ step, outcome: STEP_OUTCOMES[e.journalEvent as keyof typeof STEP_OUTCOMES], at });
    }
  }
  return out;
}

/** The activity of a step event in the mined model: `deploy:done`, `deploy:retried`. */
export const activityOf = (e: { readonly step: string; readonly outcome: string }) =>
  `${e.step}:${e.outcome}`;
