/** The event-log formats `runs export` writes. */
export const EXPORT_FORMATS = ["xes", "csv"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Which runs to export; absent fields do not filter. */
export interface RunFilter {
  /** Only runs of the operation with this name. */
  readonly operation?: string;
  /** Only runs whose status is this one now. */
  readonly status?: string;
}

/**
 * Values of the XES standard lifecycle model (`lifecycle:model` = `standard`) that the export
 * uses: an activity instance starts, completes, or is aborted (`ate_abort`).
 */
export const LIFECYCLE = { start: "start", complete: "complete", abort: "ate_abort" } as const;
export type Lifecycle = (typeof LIFECYCLE)[keyof typeof LIFECYCLE];

/** One event of a case: a journal event of a step, in the terms of process mining. */
export interface LogEvent {
  /** `concept:name`: the step name, or the step name with a suffix such as ` (undo)`. */
  readonly activity: string;
  readonly lifecycle: Lifecycle;
  /** `time:timestamp`: ISO 8601 in UTC with milliseconds, from the journal event. */
  readonly timestamp: string;
  /** The step's action (`file.write`, `shell.run`…). */
  readonly action: string;
  /** The journal event it comes from (`step.started`, `step.undone`…). */
  readonly journalEvent: string;
  /** The journal event's sequence number within its run. */
  readonly seq: number;
  /** What the journal said about it: an error, an undo's detail, a failed check; or null. */
  readonly message: string | null;
}

/** One case: what one run did to one target, its events in journal order. */
export interface CaseTrace {
  /** `<runId>/<target>`. */
  readonly caseId: string;
  readonly runId: string;
  readonly target: string;
  readonly operation: string;
  /** The run's status at export time. */
  readonly status: string;
  readonly events: readonly LogEvent[];
}

/**
 * A log format as three pieces of text, so that a log is written one case at a time and never
 * held whole in memory.
 */
export interface LogWriter {
  readonly format: ExportFormat;
  header(): string;
  trace(trace: CaseTrace): string;
  footer(): string;
}

/** What an export wrote. */
export interface ExportSummary {
  readonly format: ExportFormat;
  /** Runs that contributed at least one case. */
  readonly runs: number;
  readonly traces: number;
  readonly events: number;
}
