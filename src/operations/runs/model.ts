import type { Selectable } from "kysely";
import type { RunsTable } from "../../store/index.ts";
import type { Operation, ParamValue } from "../model/index.ts";

/** A row of the runs table as stored (JSON columns still text). */
export type RunRow = Selectable<RunsTable>;

/** What undo and resume need of a run: the operation it ran, and its params with secrets given again. */
export interface RunInput {
  readonly operation: Operation;
  readonly params: Record<string, ParamValue>;
}

/** The registered version a run used. */
export interface RunOperation {
  readonly id: string;
  readonly name: string;
  readonly version: number;
  readonly digest: string;
  readonly operation: Operation;
}

/** One line of `runs list`. */
export interface RunSummary {
  readonly id: string;
  readonly operation_name: string;
  readonly status: string;
  readonly created_at: string;
  readonly finished_at: string | null;
  /** Its stored result has a failure: rolled back after one, or undone on request. */
  readonly failed: boolean;
  /** Interrupted when its node died, and held for a person (on_node_loss: hold). */
  readonly held?: boolean;
  /** Who started it (migration 012); null: not recorded. */
  readonly started_by: string | null;
}

/** A run that records who started it, with the targets its result names (RunRecords.startedBetween). */
export interface StartedRun {
  readonly id: string;
  readonly started_by: string;
  readonly created_at: string;
  readonly targets: readonly string[];
}

/** A run considered by diagnosis as an earlier example of the same operation. */
export interface HistoryRow {
  readonly id: string;
  readonly status: string;
  readonly params: string;
  readonly result: string | null;
  readonly version: number;
}
