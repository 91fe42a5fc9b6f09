/** Entries opsdojo writes itself, as things happen. */
export const AUTO_KINDS = [
  "session.started",
  "objectives.baseline",
  "fault.injected",
  "fault.failed",
  "objective.failing",
  "objective.passing",
  "stop_condition.tripped",
  "inject.released",
  "hint.released",
  "session.resolved",
  "session.ending",
  "restore.started",
  "fault.restored",
  "fault.conflict",
  "restore.finished",
  "session.ended",
  "session.interrupted",
] as const;

/** Entries people write with `gameday note --kind`. */
export const HUMAN_KINDS = ["ack", "hypothesis", "action", "mitigated", "resolved", "note"] as const;

export type AutoKind = (typeof AUTO_KINDS)[number];
export type HumanKind = (typeof HUMAN_KINDS)[number];
export type EntryKind = AutoKind | HumanKind;

/** One entry of a session's timeline: numbered in the order it was recorded, `at` when it happened. */
export interface TimelineEntry {
  readonly seq: number;
  /** RFC 3339 UTC. For `fault.injected` the true instant the fault took effect. */
  readonly at: string;
  readonly kind: EntryKind;
  readonly source: "auto" | "human";
  readonly by: string | null;
  readonly text: string;
  readonly data: Record<string, unknown>;
  /** Hypotheses only: the GM's verdict (true correct, false wrong), null until marked. */
  readonly correct: boolean | null;
}

export function isHumanKind(kind: string): kind is HumanKind {
  return (HUMAN_KINDS as readonly string[]).includes(kind);
}
