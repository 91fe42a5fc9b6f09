/**
 * What undo does with a resource someone changed since the step (neither the state before the
 * step nor the one it left): the one conflict vocabulary of `runs undo`, rollback, the API,
 * operation files (`on_conflict:`) and game days.
 *
 * - `refuse`: nothing is touched; the step stays not undone and the run `rollback_incomplete`,
 *   naming each conflict with its three states (default for `runs undo` and rollback).
 * - `restore`: the current version is kept aside (trash, a backup object, the blob store) and
 *   named in the journal, then the state before the step is put back (default for game days).
 * - `keep`: the current version stays; the step is marked `kept`.
 */
export const CONFLICT_POLICIES = ["refuse", "restore", "keep"] as const;
export type ConflictPolicy = (typeof CONFLICT_POLICIES)[number];

/** The policy `runs undo` and rollback use when neither the command nor the step names one. */
export const DEFAULT_CONFLICT_POLICY: ConflictPolicy = "refuse";

/** One resource found in a third state: the three states, described, and where it was kept. */
export interface Conflict {
  readonly target: string;
  readonly step: string;
  readonly resource: string;
  readonly pre: string;
  readonly post: string;
  readonly now: string;
  readonly policy: ConflictPolicy;
  /** Where the version found was kept (policy `restore`). */
  readonly kept_at?: string;
  /** For text files: a unified diff from the state put back to the version kept. */
  readonly diff?: string;
}

/** The states a step recorded (journal events `step.observed`): the first pre, the last post. */
export interface Recorded {
  readonly pre?: Readonly<Record<string, unknown>>;
  readonly post?: Readonly<Record<string, unknown>>;
  /** A `restore` begun for this step by an earlier undo, which the next undo finishes. */
  readonly restoring?: boolean;
  /** The same begun by a resume (for the step in flight), which the next resume finishes. */
  readonly resumeRestoring?: boolean;
}

/**
 * The three cases of the step's resources now:
 * `already_restored` (all as before the step), `undo` (as the step left them, or nothing was
 * recorded: undo as always), `conflict` (the resources found in a third state).
 */
export type Verdict =
  | { readonly kind: "already_restored" }
  | { readonly kind: "undo" }
  | { readonly kind: "conflict"; readonly resources: readonly string[] };
