/**
 * Three-way reconcile for undo (docs/operations.md "Undo in a world someone else touched"): each
 * action's reconciler (`ActionProvider.reconcile`) observes its resources; the engine records
 * them before and after the step, and its undo path decides from pre, post and now.
 *
 * @example
 * const recorded = await recordedStates(journal, runId);
 * const result = await undoReconciled({ journal, record, provider, recorded: recordedOf(recorded, "local", 0), policy: "restore", context });
 */
export { conflictsOf, keptOf, purgeKept } from "./conflicts.ts";
export { decide, sameJson } from "./decide.ts";
export { type InFlightVerdict, reconcileInFlight } from "./in-flight.ts";
export {
  CONFLICT_POLICIES,
  type Conflict,
  type ConflictPolicy,
  DEFAULT_CONFLICT_POLICY,
  type Recorded,
  type Verdict,
} from "./model.ts";
export { type EventJournal, recordedOf, recordedStates, recordState } from "./recorded.ts";
export { type ReconciledUndo, undoReconciled } from "./undo-step.ts";
