import type { JournalEvent } from "../journal/index.ts";

/** One step attempt of one target as the events tell it: when it started and how it ended. */
export interface StepSpan {
  readonly target: string;
  readonly step: string;
  readonly action: string;
  readonly outcome: "succeeded" | "failed" | "open";
  readonly ms?: number;
}

/**
 * Step spans from a run's events. The run_steps rows cannot tell durations after a rollback
 * (undo rewrites finished_at), the events can: a target's steps run one after the other, so a
 * `step.started` is closed by the next `step.succeeded` or `step.failed` of the same target.
 */
export function spansOf(events: readonly JournalEvent[]): StepSpan[] {
  const spans: StepSpan[] = [];
  const open = new Map<string, { step: string; action: string; at: number; index: number }>();
  for (const e of events) {
    const target = typeof e.data.target === "string" ? e.data.target : undefined;
    if (!target) continue;
    if (e.type === "step.started") {
      const prior = open.get(target);
      if (prior) spans[prior.index] = { ...(spans[prior.index] as StepSpan), outcome: "open" };
      spans.push({ target, step: String(e.data.step), action: String(e.data.action ?? ""), outcome: "open" });
      open.set(target, {
        step: String(e.data.step),
        action: String(e.data.action ?? ""),
        at: Date.parse(e.at),
        index: spans.length - 1,
      });
    } else if (e.type === "step.succeeded" || e.type === "step.failed") {
      const started = open.get(target);
      if (!started) continue;
      open.delete(target);
      spans[started.index] = {
        target,
        step: started.step,
        action: started.action,
        outcome: e.type === "step.succeeded" ? "succeeded" : "failed",
        ms: Math.max(0, Date.parse(e.at) - started.at),
      };
    }
  }
  return spans;
}
