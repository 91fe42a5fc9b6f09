import type {
  ConflictPolicy,
  Diagnosis,
  JournalEvent,
  RunResult,
  RunStatus,
} from "../../operations/index.ts";

/** A row of `runs list`. */
export interface RunSummary {
  readonly id: string;
  readonly operation_name: string;
  readonly status: string;
  readonly created_at: string;
  readonly finished_at: string | null;
  /** Whether the run met a failure (a `rolled_back` after one reads differently): text only. */
  readonly failed?: boolean;
  /** Interrupted when its node died, held for a person (on_node_loss: hold). */
  readonly held?: boolean;
  /** Who started it; null: not recorded (runs from before migration 012). */
  readonly started_by: string | null;
}

/** A journalled step as `runs show` prints it (what it kept for undo stays in the store). */
export interface StepView {
  readonly target: string;
  readonly stepIndex: number;
  readonly stepName: string;
  readonly action: string;
  readonly state: string;
  readonly error: string | null;
}

/** `runs show`: the run, its steps, all its events and, when it failed, its diagnosis. */
export interface RunDetail {
  readonly id: string;
  readonly operation: string;
  readonly status: string;
  /** Who started it; null: not recorded. */
  readonly started_by: string | null;
  /** Whether the run met a failure (see RunSummary.failed): text only. */
  readonly failed?: boolean;
  readonly params: Record<string, unknown>;
  readonly steps: StepView[];
  readonly events: JournalEvent[];
  readonly diagnosis?: Diagnosis;
  /**
   * For a finished run of more than 50 targets (this machine's store only): what the simulation
   * learned from the runs started before it predicted, and how long it took.
   */
  readonly prediction?: RunPrediction;
}

export interface RunPrediction {
  readonly learned_runs: number;
  readonly p_success: number;
  readonly p50_ms: number;
  readonly p90_ms: number;
  readonly took_ms: number;
}

/** What `runs undo`/`resume` report: the run's outcome as the engine keeps it. */
export type RunOutcome = Pick<RunResult, "id" | "status" | "targets" | "unrestored" | "failure">;

/**
 * What the `runs` commands need. One implementation works on the store of this machine (and
 * runs undo/resume in this process), the other on a server through the typed client (the
 * server's executor runs them); the commands are written once against this interface, and one
 * contract test (contract.test.ts) runs both on the same data.
 */
export interface RunsBackend {
  /** The latest runs, newest first (at most `limit`); only those `startedBy` started, when given. */
  list(limit: number, filter?: { readonly startedBy?: string | undefined }): Promise<RunSummary[]>;
  detail(id: string): Promise<RunDetail>;
  /** Events after `afterSeq`, in order, at most `limit`. */
  events(id: string, afterSeq: number, limit: number): Promise<JournalEvent[]>;
  status(id: string): Promise<RunStatus>;
  /**
   * Undo the run; returns once it has come to rest. `secrets`: the run's secret params again
   * (`--param`), which the store never keeps.
   */
  undo(
    id: string,
    watch: RunWatch,
    secrets?: Record<string, string>,
    options?: { readonly onConflict?: ConflictPolicy },
  ): Promise<RunOutcome>;
  /** `runs purge-kept`: remove what the run's undos kept aside (versions found in conflict). */
  purgeKept(id: string): Promise<string[]>;
  /** `onConflict`: for the step that was in flight, changed by someone else while the run was down. */
  resume(
    id: string,
    watch: RunWatch,
    secrets?: Record<string, string>,
    options?: { readonly onConflict?: ConflictPolicy },
  ): Promise<RunOutcome>;
  /** How many steps had something purged. */
  commit(id: string): Promise<number>;
  close(): Promise<void>;
}

/** What a live view of a run needs to know of its operation. */
export interface RunShape {
  readonly operation: string;
  readonly targets: readonly string[];
  readonly steps: readonly string[];
}

/** A live view: told of each event as it happens, closed when the run comes to rest. */
export interface LiveView {
  readonly onEvent?: ((runId: string, event: JournalEvent) => void) | undefined;
  close(): void;
}

/** How a command follows a run it set moving. */
export interface RunWatch {
  /** Opens a live view once the run's operation is known; none under --json. */
  readonly view?: (shape: RunShape) => LiveView;
  /** Ctrl-C: a local run pauses where it is; a remote one goes on on the server. */
  readonly signal?: AbortSignal;
}

/** Statuses in which a run is still moving (events may still come). */
export const MOVING: ReadonlySet<string> = new Set(["queued", "running", "rolling_back"]);
