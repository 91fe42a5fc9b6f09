/**
 * What the planner reasons about. A *resource* is one thing an action can change (a path, a
 * bucket, an object, a table, an item); its state is one value, so a recorded state is a list of
 * `Resource`s and the planner sees each as a fact `resource = value` (see facts.ts). A *record* is
 * what a run kept that an undo can use: bytes in the blob store, a pseudo-deleted tree, a backed
 * up object, an object version, a table schema, an item's old image, or an action's own inverse.
 */

/** The node at a path. Hashes name bytes (SHA-256 in the blob store, or a symbolic name in `plan`). */
export type PathNode =
  | { readonly kind: "absent" }
  | { readonly kind: "file"; readonly hash: string; readonly mode: string }
  | { readonly kind: "dir"; readonly mode: string }
  | { readonly kind: "symlink"; readonly target: string };

export type Resource =
  | { readonly type: "path"; readonly path: string; readonly node: PathNode }
  | { readonly type: "bucket"; readonly bucket: string; readonly exists: boolean }
  | {
      readonly type: "object";
      readonly bucket: string;
      readonly key: string;
      /** `null` when there is no object under the key. */
      readonly object: { readonly hash: string; readonly metadata: string } | null;
    }
  | { readonly type: "table"; readonly table: string; readonly schema: string | null }
  | {
      readonly type: "item";
      readonly table: string;
      readonly key: string;
      readonly attributes: string | null;
    }
  /**
   * A cloud resource by kind and id (`instance i-1`, `target-group-targets` of an ARN,
   * `record-set` of a zone and name): its state is one canonical value (`running`, the
   * described facts), `null` when it does not exist.
   */
  | { readonly type: "cloud"; readonly kind: string; readonly id: string; readonly state: string | null };

export type Recorded =
  /** Bytes kept in the blob store (file.write, file.copy, file.replace capture them). */
  | { readonly type: "blob"; readonly hash: string }
  /** A pseudo-deleted path: the tree waits in the trash (file.delete); restoring it moves it back. */
  | { readonly type: "trash"; readonly id: string; readonly path: string; readonly tree: readonly Resource[] }
  /** A path moved by file.move: moving it back restores `tree` (as it was at `from`). */
  | {
      readonly type: "moved";
      readonly id: string;
      readonly from: string;
      readonly to: string;
      readonly tree: readonly Resource[];
    }
  /** A copy of an object taken before it was overwritten or deleted (a backup key). */
  | {
      readonly type: "object-backup";
      readonly bucket: string;
      readonly key: string;
      readonly hash: string;
      readonly metadata: string;
    }
  /** A non-current version of an object in a versioned bucket. */
  | {
      readonly type: "object-version";
      readonly bucket: string;
      readonly key: string;
      readonly version: string;
      readonly hash: string;
      readonly metadata: string;
    }
  /** The schema of a table, described before it was deleted. */
  | { readonly type: "table-schema"; readonly table: string; readonly schema: string }
  /** An item as it was before a put, update or delete (its old image). */
  | { readonly type: "item-image"; readonly table: string; readonly key: string; readonly attributes: string }
  /**
   * An action's own undo: one compensation that restores everything its capture recorded
   * (`file.write`'s bytes and mode, `file.move`'s way back…). `restores` is what it puts back.
   */
  | { readonly type: "inverse"; readonly action: string; readonly restores: readonly Resource[] };

/** A restore problem: the state recorded before (the goal), the state now, and what was kept. */
export interface RestoreProblem {
  readonly before: readonly Resource[];
  readonly after: readonly Resource[];
  readonly records: readonly Recorded[];
}

export interface PlanLimits {
  /** Nodes expanded before the search gives up (default 200 000). */
  readonly maxExpansions?: number;
  /** Wall time in ms before the search gives up (default 2 000). */
  readonly timeLimitMs?: number;
  /** Injected clock (ms); tests pass a fake one. */
  readonly now?: () => number;
}

/** One action of a plan: a name (`s3.create_bucket`), its arguments, and what it does. */
export interface PlannedAction {
  readonly action: string;
  readonly args: readonly string[];
  readonly description: string;
}

export interface PlanStats {
  readonly expansions: number;
  readonly generated: number;
  readonly groundActions: number;
  readonly ms: number;
}

export type PlanResult =
  | { readonly found: true; readonly plan: readonly PlannedAction[]; readonly stats: PlanStats }
  | {
      readonly found: false;
      /** `impossible`: some recorded fact cannot be brought back by any action; `limit`: search bounds hit. */
      readonly why: "impossible" | "exhausted" | "limit";
      readonly reason: string;
      /** One line per fact that cannot be restored. */
      readonly details: readonly string[];
      readonly suggestions: readonly string[];
      readonly stats: PlanStats;
    };
