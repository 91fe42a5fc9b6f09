import type { AnyProvider } from "../actions/index.ts";
import type { StepRecord } from "../journal/index.ts";
import type { ActionContext, Reconciler, ResourceStates } from "../providers/provider.ts";
import { type Same, sameJson } from "./decide.ts";
import type { Conflict, ConflictPolicy, Recorded } from "./model.ts";
import { CONFLICT, type EventJournal } from "./recorded.ts";
import { describer, keepAsideAll, slotOf } from "./undo-step.ts";

/**
 * What `runs resume` does with the step that was in flight when the run died, before acting on
 * it again (docs/operations.md "Resuming a run"):
 * - `redo`: the world is as before the step (or the action cannot tell): its own undo clears any
 *   half-work, and the step runs again from a fresh capture, as always;
 * - `finish`: the world already is as the step leaves it (its recorded post-state, or every
 *   effect its preview names is `none`): the step is finished without undoing anything;
 * - `restored`: a conflict settled by `restore`: the version found is kept aside (named in the
 *   journal), the state before the step is back, and the step runs again;
 * - `kept`: a conflict settled by `keep`: the version found stays, the step is marked `kept`;
 * - `refused`: a conflict under `refuse`: nothing is touched and the resume stops.
 */
export type InFlightVerdict =
  | { readonly kind: "redo" }
  | { readonly kind: "finish" }
  | { readonly kind: "restored"; readonly conflicts: readonly Conflict[] }
  | { readonly kind: "kept"; readonly conflicts: readonly Conflict[] }
  | { readonly kind: "refused"; readonly reason: string; readonly conflicts: readonly Conflict[] }
  | { readonly kind: "not_restored"; readonly reason: string; readonly conflicts: readonly Conflict[] };

export interface InFlightInput {
  readonly journal: EventJournal;
  readonly record: StepRecord;
  readonly provider: AnyProvider;
  readonly recorded: Recorded;
  readonly policy: ConflictPolicy;
  readonly context: ActionContext;
  /**
   * Whether the step's goal is reached (every effect its preview names is `none`), asked of the
   * action with the step's input as interpolated now; undefined when it cannot be told.
   */
  readonly goalReached: () => Promise<boolean | undefined>;
}

/** Not known for a step cut off in flight: what its act would have left. */
const UNKNOWN_POST = "not known: the step was cut off before it finished";

/** The part of a conflict's slot that keeps a resume's kept versions apart from an undo's. */
const RESUME_SLOT = "resume";

/**
 * Reconcile the step in flight against the world now. Journal first, as for undo: the conflict
 * (with its policy, `phase: resume`) is an event before anything is kept aside, and a `restore`
 * begun by a resume that died is finished as one by the next.
 */
export async function reconcileInFlight(input: InFlightInput): Promise<InFlightVerdict> {
  const { journal, record, provider, recorded, context } = input;
  const reconciler = provider.reconcile as Reconciler<unknown, unknown> | undefined;
  if (reconciler === undefined || recorded.pre === undefined) return { kind: "redo" };
  const same: Same = reconciler.sameState ? reconciler.sameState.bind(reconciler) : sameJson;
  const seen = (states: ResourceStates) => (journal.redacted ? journal.redacted(states) : states);
  const now = seen(await reconciler.stateOf(record.input, record.preState, context));
  const pre = recorded.pre;
  const resources = Object.keys(pre);
  if (resources.every((r) => same(pre[r], now[r]))) return { kind: "redo" };
  const post = recorded.post;
  if (post !== undefined && resources.every((r) => same(post[r], now[r]))) return { kind: "finish" };
  if (await reconciler.reached?.(record.input, record.preState, pre, now, context)) return { kind: "finish" };
  if (await input.goalReached().catch(() => undefined)) return { kind: "finish" };
  const policy: ConflictPolicy = recorded.resumeRestoring ? "restore" : input.policy;
  const describe = describer(reconciler);
  const conflicts: Conflict[] = resources
    .filter((r) => !same(pre[r], now[r]))
    .map((resource) => ({
      target: record.target,
      step: record.stepName,
      resource,
      pre: describe(pre[resource]),
      post: post?.[resource] === undefined ? UNKNOWN_POST : describe(post[resource]),
      now: describe(now[resource]),
      policy,
    }));
  const where = { target: record.target, step_index: record.stepIndex, step: record.stepName };
  await journal.note(record.runId, CONFLICT, { ...where, phase: "resume", policy, conflicts });
  if (policy === "refuse") return { kind: "refused", reason: refusal(record, conflicts), conflicts };
  if (policy === "keep") return { kind: "kept", conflicts };
  const kept = await keepAsideAll({
    journal,
    record,
    reconciler,
    conflicts,
    context,
    slot: (resource) => slotOf(record, resource, RESUME_SLOT),
  });
  const outcome = await provider.undo(record.input, record.preState, context);
  if (!outcome.restored) return { kind: "not_restored", reason: outcome.reason, conflicts: kept };
  const after = seen(await reconciler.stateOf(record.input, record.preState, context));
  const off = resources.filter((r) => !same(after[r], pre[r]));
  if (off.length > 0)
    return {
      kind: "not_restored",
      reason: off.map((r) => `${r} is ${describe(after[r])}, not ${describe(pre[r])}`).join("; "),
      conflicts: kept,
    };
  return { kind: "restored", conflicts: kept };
}

function refusal(record: StepRecord, conflicts: readonly Conflict[]): string {
  const each = conflicts.map(
    (c) => `${c.resource} was changed while the run was down (before the step: ${c.pre}; now: ${c.now})`,
  );
  return `step ${record.target}/${record.stepName} was in flight when the run stopped, and ${each.join("; ")}; nothing was touched and the run stays interrupted. Resume again with --on-conflict restore to keep the current version aside and run the step from the state before it, or --on-conflict keep to leave it and go on`;
}
