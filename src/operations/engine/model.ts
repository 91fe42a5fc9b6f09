import type { Clock } from "../../core/index.ts";
import type { Store } from "../../store/index.ts";
import type { ActionRegistry } from "../actions/index.ts";
import type { RemoteOptions } from "../hosts/index.ts";
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
   * How the run waits (retry delays, and actions that only wait, such as noop): real timers
   * unless given. A validation run passes one that moves a ManualClock, so journalled times are
   * the drawn ones, whatever the machine's load.
   */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /**
   * What undo does with a resource changed since its step (reconcile/): overrides each step's
   * `on_conflict`; without either, `refuse`.
   */
  readonly onConflict?: ConflictPolicy;
  /** How targets over SSH are reached: known_hosts, accepting new host keys, the agent. */
  readonly remote?: RemoteOptions;
}

export type TargetStatus = "succeeded" | "failed" | "rolled_back" | "rollback_incomplete" | "not_run";

/**
 * What went wrong, as a closed vocabulary that diagnosis, the API and the dashboard branch on
 * (docs/operations.md "Failures"): never parsed back out of a message.
 */
export const FAILURE_KINDS = [
  /** A check (steady state, pre- or post-condition) saw something other than it expected. */
  "check",
  /** The action itself failed (its provider threw, or an undo before a resume did not restore). */
  "action",
  /** The step's `timeout:` ran out. */
  "timeout",
  /** A `${…}` in the step or its checks cannot be resolved. */
  "reference",
  /** The action's input is not acceptable, or the action is not in this build. */
  "input",
  /** Another run holds a path this step changes. */
  "locked",
  /** A secret param cannot be had where the run was to start. */
  "secret",
  /** The user stopped the run (Ctrl-C, a stop request) during this step. */
  "stopped",
] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

/** Where in a run or step it went wrong, in the order a step goes through them. */
export const RUN_PHASES = [
  /** Before the run: it could not start on this node (its secrets). */
  "start",
  /** The steady state before anything changed (the run is refused). */
  "steady_state_before",
  /** Getting a step ready: its `with:` resolved and validated, its paths locked, its state captured. */
  "prepare",
  /** On resume: putting the step that was in flight back before running it again. */
  "undo",
  "pre",
  "act",
  "post",
  /** The steady state after every target ran. */
  "steady_state_after",
] as const;
export type RunPhase = (typeof RUN_PHASES)[number];

/**
 * Why a target (or the run) failed, as data: stored in the journal (run results, status events)
 * and shown by the API. `message` is for people; everything a program decides on is in `kind`,
 * `phase`, `code` and `retryable`. Rows written before these fields (only `reason`) are read
 * through `storedFailure`.
 */
export interface StepFailure {
  readonly target: string;
  /** The step's name, or `steady_state` / `params` for a failure outside any step. */
  readonly step: string;
  readonly kind: FailureKind;
  readonly phase: RunPhase;
  /**
   * The stable code of the error behind it: ours (`s3_request_failed`, `path_locked`, any code
   * of docs/errors.md), else the outside one (`ENOENT`, `AccessDenied`).
   */
  readonly code?: string;
  /** The outside code under ours: the errno or AWS error name an action's error was caused by. */
  readonly cause?: string;
  /** Whether trying again as it is may help, when the error said so. */
  readonly retryable?: boolean;
  readonly message: string;
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
  /** An interrupted run whose node died, held for a person to resume or undo (`on_node_loss: hold`). */
  readonly held?: RunHold;
}

/** Why a run whose node died waits for a person, and since when. */
export interface RunHold {
  /** The lease owner of the node that died (`<host>:<pid>/<hex>`). */
  readonly node: string;
  readonly since: string;
  readonly reason: string;
}
