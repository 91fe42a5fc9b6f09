import type { JournalEvent } from "../journal/index.ts";
import { JournalDataError } from "./errors.ts";
import { LIFECYCLE, type Lifecycle, type LogEvent } from "./model.ts";

/** A step of a run as `run_steps` records it: enough to name the events that only carry an index. */
export interface StepName {
  readonly target: string;
  readonly stepIndex: number;
  readonly stepName: string;
  readonly action: string;
}

/**
 * How each journal event of a step becomes an event of the log. Steps and their undos are
 * different activities — an undo is a compensation, not the step again — and both use the
 * standard lifecycle: `start`, then `complete` or `ate_abort`. Retries and failed checks are
 * instantaneous, so they are single `complete` events of their own activity.
 */
export const MAPPING = {
  "step.started": { suffix: "", lifecycle: LIFECYCLE.start },
  "step.succeeded": { suffix: "", lifecycle: LIFECYCLE.complete },
  "step.failed": { suffix: "", lifecycle: LIFECYCLE.abort },
  "step.retrying": { suffix: " (retry)", lifecycle: LIFECYCLE.complete },
  // Named by its phase, ` (pre-check failed)` or ` (post-check failed)`; this when it has none.
  "check.failed": { suffix: " (check failed)", lifecycle: LIFECYCLE.complete },
  "step.undo_started": { suffix: " (undo)", lifecycle: LIFECYCLE.start },
  "step.undone": { suffix: " (undo)", lifecycle: LIFECYCLE.complete },
  "step.undo_failed": { suffix: " (undo)", lifecycle: LIFECYCLE.abort },
  // A conflict left as found (policy keep): the undo ended, by choice, having changed nothing.
  "step.kept": { suffix: " (undo)", lifecycle: LIFECYCLE.complete },
} as const satisfies Record<string, { suffix: string; lifecycle: Lifecycle }>;

export type MappedEventType = keyof typeof MAPPING;

/** Journal event types that become log events; run and batch events are not (runs are not cases). */
export const MAPPED_EVENT_TYPES = Object.keys(MAPPING) as MappedEventType[];

function isMapped(type: string): type is MappedEventType {
  return Object.hasOwn(MAPPING, type);
}

/** Steps of one run, found by index or by name within their target. */
export class StepIndex {
  readonly #byIndex = new Map<string, StepName>();
  readonly #byName = new Map<string, StepName>();

  constructor(steps: Iterable<StepName>) {
    for (const step of steps) {
      this.#byIndex.set(`${step.stepIndex}\u0000${step.target}`, step);
      this.#byName.set(`${step.stepName}\u0000${step.target}`, step);
    }
  }

  byIndex(target: string, index: number): StepName | undefined {
    return this.#byIndex.get(`${index}\u0000${target}`);
  }

  byName(target: string, name: string): StepName | undefined {
    return this.#byName.get(`${name}\u0000${target}`);
  }
}

function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** `2026-05-01T10:00:00.000Z` whatever ISO 8601 form the store gave back. */
export function utcMillis(at: string, runId: string, seq: number): string {
  const ms = Date.parse(at);
  if (Number.isNaN(ms)) throw new JournalDataError(runId, seq, `"${at}" is not a timestamp`);
  return new Date(ms).toISOString();
}

function messageOf(event: JournalEvent): string | null {
  const d = event.data;
  switch (event.type) {
    case "step.failed":
      return text(d.error) ?? null;
    case "step.undone":
      return text(d.detail) ?? null;
    case "step.undo_failed":
      return text(d.reason) ?? null;
    case "step.kept":
      return text(d.detail) ?? null;
    case "step.retrying":
      return `attempt ${String(d.attempt)} failed: ${String(d.reason)}`;
    case "check.failed":
      return `${String(d.phase)}-condition ${String(d.check)}: expected ${String(d.expected)}, observed ${String(d.observed)}`;
    default:
      return null;
  }
}

/**
 * The log event of one journal event and the target (case) it belongs to; undefined for events
 * that are not about a step of a target.
 */
export function toLogEvent(
  runId: string,
  event: JournalEvent,
  steps: StepIndex,
): { target: string; event: LogEvent } | undefined {
  if (!isMapped(event.type)) return undefined;
  const target = text(event.data.target);
  if (target === undefined) return undefined;
  const index = event.data.step_index;
  const step =
    typeof index === "number"
      ? steps.byIndex(target, index)
      : steps.byName(target, text(event.data.step) ?? "");
  // `step.started` and failed checks name their step; a check before the step started has no
  // run_steps row, so its name and action come from the event itself.
  const stepName = step?.stepName ?? text(event.data.step);
  if (stepName === undefined) {
    throw new JournalDataError(runId, event.seq, `${event.type} on ${target} names no step`);
  }
  const mapping = MAPPING[event.type];
  const phase = text(event.data.phase);
  const suffix = event.type === "check.failed" && phase ? ` (${phase}-check failed)` : mapping.suffix;
  return {
    target,
    event: {
      activity: `${stepName}${suffix}`,
      lifecycle: mapping.lifecycle,
      timestamp: utcMillis(event.at, runId, event.seq),
      action: step?.action ?? text(event.data.action) ?? "",
      journalEvent: event.type,
      seq: event.seq,
      message: messageOf(event),
    },
  };
}
