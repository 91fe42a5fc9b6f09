import type { ActionItem, RetroEntry } from "./model.ts";

/**
 * What a postmortem is written from, in a plain shape: the session, its merged timeline, its
 * metrics, the retro entries and the action items. `postmortemInputFromStore` fills it from the
 * game-day tables; tests fill it by hand.
 */
export interface PostmortemInput {
  readonly session: PostmortemSession;
  /** Automatic and human entries; rendered in time order. */
  readonly timeline: readonly TimelineItem[];
  readonly metrics: PostmortemMetrics;
  readonly retro: readonly RetroEntry[];
  readonly action_items: readonly ActionItem[];
  /** Earlier action items of the same scenario and whether re-runs moved the times. */
  readonly effects?: readonly import("./effect.ts").ActionEffect[];
  /** What the players changed since a fault, found by the restore (timeline `fault.conflict`). */
  readonly players_changed?: readonly PlayerChange[];
}

/** A resource the players changed since a fault went in: its three states, where theirs is kept. */
export interface PlayerChange {
  readonly fault: string;
  readonly resource: string;
  readonly before: string;
  readonly after_fault: string;
  readonly found: string;
  /** What the restore did: `restore` (put back, theirs kept), `keep` or `refuse` (left). */
  readonly policy: string;
  readonly kept_at?: string;
  /** For text files: a unified diff from the state put back to the players' version. */
  readonly diff?: string;
}

export interface PostmortemSession {
  readonly id: string;
  readonly scenario: {
    readonly name: string;
    readonly title?: string | undefined;
    readonly difficulty?: number | undefined;
    readonly brief?: string | undefined;
    /** The GM's ground truth: the postmortem's root cause. */
    readonly gm_notes?: string | undefined;
  };
  readonly participants: readonly { readonly name: string; readonly role: string }[];
  readonly started_at: string;
  readonly ended_at?: string | undefined;
  /** resolved, timebox, stop_condition, gm, crashed, … */
  readonly end_reason?: string | undefined;
  /** Whether the objectives passed again after every fault was undone. */
  readonly restore_clean?: boolean | undefined;
  readonly interview?: boolean | undefined;
}

export interface TimelineItem {
  readonly at: string;
  /** `auto` for what opsdojo recorded, `human` for notes. */
  readonly source: "auto" | "human";
  /** session_started, fault_injected, objective_failing, …, or ack, hypothesis, action, … */
  readonly kind: string;
  readonly text: string;
  readonly by?: string | undefined;
  readonly correct?: boolean | undefined;
}

/** The session's times, each in seconds from the true fault injection (absent: never reached). */
export interface PostmortemMetrics {
  readonly fault_injected_at?: string | undefined;
  readonly time_to_detect_s?: number | undefined;
  readonly time_to_acknowledge_s?: number | undefined;
  readonly time_to_correct_hypothesis_s?: number | undefined;
  readonly time_to_mitigate_s?: number | undefined;
  readonly time_to_resolve_s?: number | undefined;
  readonly restore_clean?: boolean | undefined;
}

export const METRIC_LABELS = {
  time_to_detect_s: "time to detect",
  time_to_acknowledge_s: "time to acknowledge",
  time_to_correct_hypothesis_s: "time to first correct hypothesis",
  time_to_mitigate_s: "time to mitigate",
  time_to_resolve_s: "time to resolve",
} as const;
export type MetricName = keyof typeof METRIC_LABELS;
export const METRIC_NAMES = Object.keys(METRIC_LABELS) as MetricName[];
