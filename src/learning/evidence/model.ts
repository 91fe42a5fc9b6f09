import type { DrillRecord } from "../../gamedays/index.ts";
import type { DimensionId } from "../survey/model.ts";

/** What the indicators read: plain records, built from the store by load.ts or by hand in tests. */
export interface EvidenceInput {
  /** The end of the window (a round's close, or now). */
  readonly until: Date;
  /** How far back the window reaches, days (default 90). */
  readonly windowDays?: number;
  /** Live members: name and class. */
  readonly members: ReadonlyArray<{ readonly name: string; readonly class: string }>;
  readonly drills: readonly DrillRecord[];
  /** Sessions with at least one retro entry. */
  readonly retroSessions: ReadonlySet<string>;
  readonly interviews: ReadonlyArray<{ readonly created_at: string }>;
  readonly learningEvents: ReadonlyArray<{
    readonly held_on: string;
    readonly facilitator: string;
    readonly participants: readonly string[];
  }>;
  readonly actionItems: ReadonlyArray<{
    readonly status: string;
    readonly created_at: string;
    readonly closed_at?: string | undefined;
    readonly due_date?: string | undefined;
    readonly scenario?: string | undefined;
  }>;
  /** Runs that record who started them (RunRecords.startedBetween): name and when. */
  readonly runs: ReadonlyArray<{ readonly started_by: string; readonly created_at: string }>;
  readonly services: ReadonlyArray<{
    readonly name: string;
    readonly owner: string;
    /** The latest conformance result's MUST failures; absent when never checked. */
    readonly mustFailures?: readonly string[] | undefined;
  }>;
}

export interface Indicator {
  readonly id: string;
  readonly dimension: DimensionId;
  readonly title: string;
  /** In `unit`; null when there is nothing to measure yet. */
  readonly value: number | null;
  readonly unit: string;
  /** `value` on the survey's 1–6 scale (docs/learning.md gives each mapping); null with the value. */
  readonly score: number | null;
  /** What was counted, in words: "12 hypotheses in 4 drills". */
  readonly basis: string;
}

export interface DimensionEvidence {
  readonly dimension: DimensionId;
  /** Mean of the scores of its indicators that have one, 2 decimals; null when none has. */
  readonly score: number | null;
  readonly indicators: readonly Indicator[];
}

export interface Evidence {
  readonly window: { readonly from: string; readonly until: string; readonly days: number };
  readonly team_size: number;
  readonly dimensions: readonly DimensionEvidence[];
}
