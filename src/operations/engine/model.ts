import type { Clock } from "../../core/index.ts";
import type { Store } from "../../store/index.ts";
import type { ActionRegistry } from "../actions/index.ts";
import type { JournalListener, RunStatus } from "../journal/index.ts";
import type { PathLocks } from "../locks/index.ts";
import type { Conflict, ConflictPolicy } from "../reconcile/index.ts";
import type { NamedResult } from "./checks.ts";

export interface EngineOptions {
  readonly store: Store;
  readonly clock: Clock;
  /** The actions a run may use (providers and undo classes); the built-in registry unless given. */
  readonly actions?: ActionRegistry;
  /** Who holds the run's lease (process/node id). */
  readonly owner?: string;
  /** How long a lease holds without renewal; a dead process's run is `interrupted` after it. */
  readonly leaseMs?: number;
  /**
   * Stops the run (e.g. Ctrl-C): in-flight actions are cancelled, then `on_failure` applies.
   * Aborted with a `RunHaltedError` (a stopping server), the run is left `interrupted` instead.
   */
  readonly signal?: AbortSignal;
  /** Called once the run is claimed (undo, resume): from then on it is this process's to finish. */
  readonly onClaimed?: () => void;
  /** Every journal event once it is committed (progress views, SSE). */
  readonly onEvent?: JournalListener;
  /** Per-path locks between runs (locks/); default: this machine's lock directory, 10 s wait. */
  readonly locks?: PathLocks;
  /**
   * What undo does with a resource changed since its step (reconcile/): overrides each step's
   * `on_conflict`; without either, `refuse`.
   */
  readonly onConflict?: ConflictPolicy;
}

export type TargetStatus = "succeeded" | "failed" | "rolled_back" | "rollback_incomplete" | "not_run";

export interface StepFailure {
  readonly target: string;
  readonly step: string;
  readonly reason: string;
  /** The check that failed, with what it expected and observed, when a check failed. */
  readonly check?: NamedResult;
}

export interface TargetResult {
  readonly name: string;
  status: TargetStatus;
  failure?: StepFailure;
}

export interface Unrestored {
  readonly target: string;
  readonly step: string;
  readonly reason: string;
  /** The resources found changed by someone else, with their three states (policy refuse). */
  readonly conflicts?: Conflict[];
}

export interface RunResult {
  readonly id: string;
  readonly status: RunStatus;
  readonly targets: TargetResult[];
  /** What a rollback could not restore, and why (empty unless `rollback_incomplete`). */
  readonly unrestored: Unrestored[];
  readonly failure?: StepFailure;
}
