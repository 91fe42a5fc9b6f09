import type { JournalEvent } from "../../operations/index.ts";
import type { StepView } from "./backend.ts";

/** The state each step event leaves a step in (the journal's own transitions). */
const STATE_OF: Readonly<Record<string, string>> = {
  "step.started": "intent",
  "step.succeeded": "done",
  "step.failed": "failed",
  "step.undo_started": "undoing",
  "step.undone": "undone",
  "step.undo_failed": "undo_failed",
  "step.kept": "kept",
};

interface Building {
  target: string;
  stepIndex: number;
  stepName: string;
  action: string;
  state: string;
  error: string | null;
  startedAt: string;
}

/**
 * The journal's step records, rebuilt from a run's events: what a server gives (the API keeps
 * what steps saved for undo to itself). `step.started` names the step but not its index; the
 * transitions that follow carry target and index. A target runs its steps one at a time, so the
 * next transition of that target is the step just started. Ordered as the journal orders its
 * records: by start time, target, index.
 */
export function stepsFromEvents(events: readonly JournalEvent[]): StepView[] {
  const steps = new Map<string, Building>();
  const started = new Map<string, { stepName: string; action: string; at: string }>();
  for (const e of events) {
    const state = STATE_OF[e.type];
    if (state === undefined) continue;
    const target = String(e.data.target ?? "");
    if (e.type === "step.started") {
      started.set(target, {
        stepName: String(e.data.step ?? ""),
        action: String(e.data.action ?? ""),
        at: e.at,
      });
      continue;
    }
    const stepIndex = Number(e.data.step_index);
    const key = `${target}\u0000${stepIndex}`;
    const pending = started.get(target);
    started.delete(target);
    let step = steps.get(key);
    if (!step) {
      step = {
        target,
        stepIndex,
        stepName: pending?.stepName ?? "",
        action: pending?.action ?? "",
        state,
        error: null,
        startedAt: pending?.at ?? e.at,
      };
      steps.set(key, step);
    }
    step.state = state;
    // As the journal keeps it: a failure's error, an undo's failure reason; a new start clears it.
    if (pending) step.error = null;
    if (e.type === "step.failed") step.error = String(e.data.error ?? "");
    if (e.type === "step.undo_failed") step.error = String(e.data.reason ?? "");
  }
  // A step started and not yet moved on (in flight, or its process died): the journal has it
  // at `intent`, under the next index of its target.
  for (const [target, pending] of started) {
    const mine = [...steps.values()].filter((s) => s.target === target);
    const stepIndex = mine.length === 0 ? 0 : Math.max(...mine.map((s) => s.stepIndex)) + 1;
    steps.set(`${target}\u0000${stepIndex}`, {
      target,
      stepIndex,
      stepName: pending.stepName,
      action: pending.action,
      state: "intent",
      error: null,
      startedAt: pending.at,
    });
  }
  return [...steps.values()]
    .sort(
      (a, b) =>
        a.startedAt.localeCompare(b.startedAt) ||
        a.target.localeCompare(b.target) ||
        a.stepIndex - b.stepIndex,
    )
    .map(({ startedAt: _, ...step }) => step);
}
