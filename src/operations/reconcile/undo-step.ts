import { createHash } from "node:crypto";
import type { AnyProvider } from "../actions/index.ts";
import type { StepRecord } from "../journal/index.ts";
import type {
  ActionContext,
  IdentityChange,
  Reconciler,
  ResourceStates,
  UndoOutcome,
} from "../providers/provider.ts";
import { decide, type Same, sameJson } from "./decide.ts";
import type { Conflict, ConflictPolicy, Recorded } from "./model.ts";
import { CONFLICT, type EventJournal, KEPT_ASIDE } from "./recorded.ts";

/** What became of a step's undo once reconciled; the engine journals it. */
export type ReconciledUndo =
  | {
      readonly kind: "undone";
      readonly detail?: string;
      readonly reason?: "already_restored";
      /** Resources the undo brought back under a new id (the engine journals old → new). */
      readonly renamed?: readonly IdentityChange[];
    }
  | { readonly kind: "kept"; readonly detail: string; readonly conflicts: readonly Conflict[] }
  | { readonly kind: "not_restored"; readonly reason: string; readonly conflicts?: Conflict[] };

export interface UndoStepInput {
  readonly journal: EventJournal;
  readonly record: StepRecord;
  readonly provider: AnyProvider;
  readonly recorded: Recorded;
  readonly policy: ConflictPolicy;
  readonly context: ActionContext;
}

export const describer = (r: Reconciler<unknown, unknown>) => (state: unknown) =>
  r.describeState ? r.describeState(state) : JSON.stringify(state ?? null);

/**
 * The same for the same run, step and resource: a keep-aside repeated after a crash finds its
 * own. `phase` keeps a resume's kept versions apart from a later undo's of the same step.
 */
export function slotOf(record: StepRecord, resource: string, phase?: string): string {
  const base = `${record.runId}\0${record.target}\0${record.stepIndex}\0${resource}`;
  return createHash("sha256")
    .update(phase === undefined ? base : `${base}\0${phase}`)
    .digest("hex")
    .slice(0, 16);
}

/**
 * Policy `restore`: keep each conflicting resource's version aside, name where in the journal,
 * then let the reconciler make room for the undo. The conflicts, each with where it was kept.
 */
export async function keepAsideAll(input: {
  readonly journal: EventJournal;
  readonly record: StepRecord;
  readonly reconciler: Reconciler<unknown, unknown>;
  readonly conflicts: readonly Conflict[];
  readonly context: ActionContext;
  readonly slot: (resource: string) => string;
}): Promise<Conflict[]> {
  const { journal, record, reconciler, context } = input;
  const where = { target: record.target, step_index: record.stepIndex, step: record.stepName };
  const kept: Conflict[] = [];
  for (const conflict of input.conflicts) {
    const r = conflict.resource;
    const at = await reconciler.keepAside(r, record.input, record.preState, input.slot(r), context);
    if (at !== undefined)
      await journal.note(record.runId, KEPT_ASIDE, { ...where, resource: r, kept_at: at });
    await reconciler.makeRoom?.(r, record.input, record.preState, at, context);
    kept.push(at === undefined ? conflict : { ...conflict, kept_at: at });
  }
  return kept;
}

function refusal(conflicts: readonly Conflict[]): string {
  const each = conflicts.map(
    (c) =>
      `${c.resource} was changed since the run (before the step: ${c.pre}; after it: ${c.post}; now: ${c.now})`,
  );
  return `${each.join("; ")}; nothing was touched. Undo again with --on-conflict restore to put the state before the step back (the current version is kept aside), or --on-conflict keep to leave it`;
}

/**
 * A step's undo, reconciled: the world now is compared with the recorded pre- and post-states
 * (decide.ts); `already_restored` purges the step's backups, `undo` runs the action's undo as
 * always, and a conflict is settled by `policy`. Journal first: the conflict (with the policy)
 * is an event before anything is kept aside, and each kept version is named before the undo,
 * so an undo killed half way is finished by the next one, with `restore`, whatever it is asked.
 */
export async function undoReconciled(input: UndoStepInput): Promise<ReconciledUndo> {
  const { journal, record, provider, recorded, context } = input;
  const plain = async (): Promise<ReconciledUndo> =>
    fromOutcome(await provider.undo(record.input, record.preState, context));
  const reconciler = provider.reconcile as Reconciler<unknown, unknown> | undefined;
  // A step whose act never finished (no post-state) may have left its own half-work behind (a
  // copy's staging folder): its own undo, idempotent, knows how to clear that; reconcile does not.
  if (reconciler === undefined || recorded.pre === undefined || recorded.post === undefined) return plain();
  const same: Same = reconciler.sameState ? reconciler.sameState.bind(reconciler) : sameJson;
  // Recorded states were journalled with the run's secrets as markers: so is what is seen now.
  const seen = (states: ResourceStates) => (journal.redacted ? journal.redacted(states) : states);
  const now = seen(await reconciler.stateOf(record.input, record.preState, context));
  const verdict = decide(recorded, now, same);
  if (verdict.kind === "already_restored") {
    // Nothing to undo: what the step kept for its undo (trash, a backup copy) is purged as an
    // undone step's would be, by its own undo having moved it back.
    await provider.commit?.(record.input, record.preState, context);
    return { kind: "undone", reason: "already_restored", detail: "already as before the step" };
  }
  if (verdict.kind === "undo") return plain();
  // A restore an earlier undo began is finished as one, whatever this undo was asked.
  const policy: ConflictPolicy = recorded.restoring ? "restore" : input.policy;
  const describe = describer(reconciler);
  const pre = recorded.pre;
  const post = recorded.post ?? {};
  const conflicts: Conflict[] = verdict.resources.map((resource) => ({
    target: record.target,
    step: record.stepName,
    resource,
    pre: describe(pre[resource]),
    post: describe(post[resource]),
    now: describe(now[resource]),
    policy,
  }));
  const where = { target: record.target, step_index: record.stepIndex, step: record.stepName };
  await journal.note(record.runId, CONFLICT, { ...where, policy, conflicts });
  if (policy === "refuse") return { kind: "not_restored", reason: refusal(conflicts), conflicts };
  if (policy === "keep") {
    const names = conflicts.map((c) => c.resource).join(", ");
    return { kind: "kept", detail: `kept as found: ${names}`, conflicts };
  }
  const kept = await keepAsideAll({
    journal,
    record,
    reconciler,
    conflicts,
    context,
    slot: (resource) => slotOf(record, resource),
  });
  const outcome = await provider.undo(record.input, record.preState, context);
  const keptText = kept
    .filter((c) => c.kept_at !== undefined)
    .map((c) => `${c.resource} as found is kept at ${c.kept_at}`)
    .join("; ");
  if (!outcome.restored)
    return {
      kind: "not_restored",
      reason: `${outcome.reason}${keptText ? `; ${keptText}` : ""}`,
      conflicts: kept,
    };
  // Verified, not assumed: every resource must be as before the step again.
  const after = seen(await reconciler.stateOf(record.input, record.preState, context));
  const off = Object.keys(pre).filter((r) => !same(after[r], pre[r]));
  if (off.length > 0) {
    const what = off.map((r) => `${r} is ${describe(after[r])}, not ${describe(pre[r])}`).join("; ");
    return {
      kind: "not_restored",
      reason: `restored as far as the action can: ${what}${keptText ? `; ${keptText}` : ""}`,
      conflicts: kept,
    };
  }
  const withDiffs: Conflict[] = [];
  for (const c of kept) {
    const diff =
      c.kept_at === undefined ? undefined : await reconciler.diffKept?.(c.resource, c.kept_at, context);
    withDiffs.push(diff === undefined ? c : { ...c, diff });
  }
  await journal.note(record.runId, "step.conflict_restored", { ...where, conflicts: withDiffs });
  return { kind: "undone", detail: `restored${keptText ? `; ${keptText}` : ""}` };
}

function fromOutcome(outcome: UndoOutcome): ReconciledUndo {
  if (outcome.restored) {
    return {
      kind: "undone",
      ...(outcome.detail ? { detail: outcome.detail } : {}),
      ...(outcome.renamed && outcome.renamed.length > 0 ? { renamed: outcome.renamed } : {}),
    };
  }
  return { kind: "not_restored", reason: outcome.reason };
}
