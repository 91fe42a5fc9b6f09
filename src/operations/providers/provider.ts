import type { BlobStore } from "../../store/index.ts";
import type { Host } from "../hosts/index.ts";
import type { PlannedAction } from "../planner/model.ts";

/**
 * The contract every action provider implements (file, shell, http, noop, s3, dynamodb). How a
 * step of the action is undone without `undo:` is the action registry's to say
 * (src/operations/actions/), not the provider's. The engine journals `capture`'s result *before* calling `act`, so whatever `act` does
 * — finish, fail, or die with the process — `undo` can restore from the journal alone.
 */
export interface ActionProvider<
  Input = Record<string, unknown>,
  PreState = unknown,
  Output = Record<string, unknown>,
> {
  /** `file.write`, `shell.run`, … */
  readonly action: string;
  /** Check the action's inputs (after interpolation); throw an ActionInputError naming the field. */
  validate(input: Input): void;
  /** What the action would change, for `plan` previews; must not change anything. */
  describe(input: Input, context: ActionContext): Promise<EffectPreview[]>;
  /** Record what is needed to restore the current state (file bytes go to the blob store). */
  capture(input: Input, context: ActionContext): Promise<PreState>;
  /** Do it. Must be safe to call again after a crash in the middle (idempotent towards the goal). */
  act(input: Input, preState: PreState, context: ActionContext): Promise<Output>;
  /**
   * Restore the captured state. Idempotent: undoing twice changes nothing the second time, and
   * undoing an action that never ran (crashed before `act`) restores the same state.
   */
  undo(input: Input, preState: PreState, context: ActionContext): Promise<UndoOutcome>;
  /** Accept the run: purge what undo kept (pseudo-deleted files, backups). */
  commit?(input: Input, preState: PreState, context: ActionContext): Promise<void>;
  /**
   * How the engine tells a world someone else touched from one only this step changed (three-way
   * reconcile, src/operations/reconcile/). Without it, undo runs as it always did.
   */
  readonly reconcile?: Reconciler<Input, PreState>;
}

/**
 * The states of the resources one step changes, by resource (`file /srv/app.conf`,
 * `object s3://b/k`, …). Plain JSON, journalled: what the action's resource model says a
 * resource is (contents by hash, mode, owner, link target, object body + metadata + tags, item
 * attributes), never a timestamp.
 */
export type ResourceStates = Readonly<Record<string, unknown>>;

/**
 * What an action offers the engine's generic reconcile step. The engine records `stateOf` before
 * the action (pre) and after it (post); at undo it observes the world again (now) and decides:
 * now = pre → nothing to do, now = post → the action's own undo, anything else → a conflict,
 * settled by a policy (refuse, restore, keep).
 */
export interface Reconciler<Input = Record<string, unknown>, PreState = unknown> {
  /** Observe every resource the step changes; must not change anything. */
  stateOf(input: Input, preState: PreState, context: ActionContext): Promise<ResourceStates>;
  /** Whether two observed states of one resource are the same; default: the same JSON. */
  sameState?(a: unknown, b: unknown): boolean;
  /**
   * Policy `restore`: keep the current version of `resource` where nothing of ours overwrites it
   * (trash, a backup object, the blob store) and leave the resource so that `undo` can put the
   * pre-state back. `slot` is the same for the same run, step and resource, so a keep-aside
   * repeated after a crash finds what the first one moved. Returns where it is kept, or
   * undefined when there was nothing to keep (the resource is absent).
   */
  keepAside(
    resource: string,
    input: Input,
    preState: PreState,
    slot: string,
    context: ActionContext,
  ): Promise<string | undefined>;
  /**
   * Policy `restore`, after the kept version is named in the journal: clear what would stand in
   * the undo's way (empty and remove a bucket, delete a table). For resources whose keep-aside
   * cannot be found again after a crash (a blob by hash), so nothing is destroyed before the
   * journal says where it went. Absent: `keepAside` leaves the resource ready for the undo.
   */
  makeRoom?(
    resource: string,
    input: Input,
    preState: PreState,
    location: string | undefined,
    context: ActionContext,
  ): Promise<void>;
  /** Remove a version `keepAside` kept (`runs purge-kept`); a location already gone is fine. */
  purgeKept(location: string, context: ActionContext): Promise<void>;
  /** A unified diff from what is at `resource` now to the version kept at `location`, for text. */
  diffKept?(resource: string, location: string, context: ActionContext): Promise<string | undefined>;
  /**
   * For `runs resume`: whether the world `now` is what the step's act leaves, given the states
   * before it (`pre`), for actions whose preview cannot tell a finished act (a copy, a move).
   * Absent: a step counts as finished when every effect of its preview is `none`.
   */
  reached?(
    input: Input,
    preState: PreState,
    pre: ResourceStates,
    now: ResourceStates,
    context: ActionContext,
  ): Promise<boolean>;
  /** One short line for a state, for conflicts and timelines (`file 0600 12 bytes sha256:ab12…`). */
  describeState?(state: unknown): string;
}

export interface ActionContext {
  /** The run this action belongs to (names pseudo-delete locations, backups). */
  readonly runId: string;
  /** Where captured contents go; referenced from the journal by hash. */
  readonly blobs: BlobStore;
  /** Cancelled on timeout or when the run is stopped. */
  readonly signal: AbortSignal;
  /**
   * Told, before anything is done, the plan an undo found (or why there is none), for actions
   * whose way back is a sequence the planner finds; the engine journals it.
   */
  readonly onPlan?: (report: PlanReport) => Promise<void>;
  /**
   * How to wait (the engine's `sleep` option): absent, real timers. Actions that only wait (noop)
   * use it, so a test or a validation run can pass time on an injected clock.
   */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /**
   * The target's host when it is reached over SSH (docs/operations.md, Targets over SSH):
   * file actions work on its file system, `shell.run` runs there. Absent: this machine.
   */
  readonly host?: Host;
}

/** What an undo by plan is about to do, or why it cannot: see planned-undo.ts. */
export type PlanReport =
  | {
      readonly found: true;
      readonly actions: readonly PlannedAction[];
      readonly expansions: number;
      readonly ms: number;
    }
  | { readonly found: false; readonly reason: string; readonly details: readonly string[] };

export interface EffectPreview {
  /** `file /srv/app/app.conf`, `object b/k`, … */
  readonly resource: string;
  readonly change: "create" | "modify" | "delete" | "none" | "unknown";
  /** A unified diff, a size, or another short human explanation. */
  readonly detail?: string;
}

export type UndoOutcome =
  | {
      readonly restored: true;
      readonly detail?: string;
      /**
       * Resources the undo could only bring back under a new id (a volume recreated from its
       * snapshot): the engine journals old → new, and later undos of the run use the new id
       * (src/operations/engine/identities.ts).
       */
      readonly renamed?: readonly IdentityChange[];
    }
  | { readonly restored: false; readonly reason: string };

/** A resource restored under a new id: `vol-1` came back as `vol-2`. */
export interface IdentityChange {
  /** What it is, for people: `volume`, `security group`. */
  readonly resource: string;
  readonly from: string;
  readonly to: string;
}
