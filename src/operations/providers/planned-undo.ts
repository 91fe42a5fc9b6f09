// The planner's search alone, not its door: the door's classifier reads operation files, whose
// loader reads the providers, and a provider must not import its own importer.
import { describeFact } from "../planner/facts.ts";
import type { PlanLimits, PlannedAction, RestoreProblem } from "../planner/model.ts";
import { planRestore } from "../planner/plan-restore.ts";
import { unmetFacts } from "../planner/unmet.ts";
import type { ActionContext, UndoOutcome } from "./provider.ts";

/** What an action's undo found before planning: a problem for the planner, or nothing to plan. */
export type RestoreSetup =
  | { readonly settled: UndoOutcome }
  | {
      readonly problem: RestoreProblem;
      /**
       * Why some resources are left out of the goal (written again since the step, so putting
       * the old copy back would lose newer data); the undo then ends unrestored and keeps its copies.
       */
      readonly held?: string;
    };

/**
 * The undo of an action with no single recorded inverse (`s3.delete_bucket`,
 * `dynamodb.delete_table`): the provider states the restore problem, the planner finds the
 * sequence of actions, the provider performs it, and the problem is read again to check that
 * every recorded fact holds before the kept copies are dropped.
 */
export interface PlannedUndo<State> {
  /** The state recorded before the step (goal), the state now, and what the run kept. */
  problem(state: State, context: ActionContext): Promise<RestoreSetup>;
  /** Perform consecutive planned actions of one name at once (1 000 object copies in parallel). */
  perform(
    action: string,
    batch: readonly PlannedAction[],
    state: State,
    context: ActionContext,
  ): Promise<void>;
  /** Once verified: what is not a fact (tags, TTL, CORS) and dropping the copies; a detail line. */
  finish(state: State, context: ActionContext): Promise<string>;
}

/** An undo is not interactive: it may search far longer than `plan` does before giving up. */
export const UNDO_PLAN_LIMITS: PlanLimits = { maxExpansions: 5_000_000, timeLimitMs: 60_000 };

const MAX_SHOWN = 5;

/** Consecutive actions of one name, in plan order. */
function batches(plan: readonly PlannedAction[]): PlannedAction[][] {
  const out: PlannedAction[][] = [];
  for (const action of plan) {
    const last = out.at(-1);
    if (last && last[0]?.action === action.action) last.push(action);
    else out.push([action]);
  }
  return out;
}

/**
 * Undo by plan: set up, plan, report the plan (`context.onPlan`, journalled by the engine),
 * perform it, verify, finish. Idempotent as long as `problem` reads the world afresh: a second
 * call finds nothing left to do (an empty plan, or a settled outcome).
 *
 * @example
 * undo: (_input, state, context) => undoByPlan(plannedDeleteBucket, state, context)
 */
export async function undoByPlan<State>(
  planned: PlannedUndo<State>,
  state: State,
  context: ActionContext,
): Promise<UndoOutcome> {
  const setup = await planned.problem(state, context);
  if ("settled" in setup) return setup.settled;
  const result = planRestore(setup.problem, UNDO_PLAN_LIMITS);
  if (!result.found) {
    await context.onPlan?.({ found: false, reason: result.reason, details: result.details });
    const details = result.details.length > 0 ? ` (${result.details.join("; ")})` : "";
    return { restored: false, reason: `no way back was found: ${result.reason}${details}` };
  }
  await context.onPlan?.({
    found: true,
    actions: result.plan,
    expansions: result.stats.expansions,
    ms: result.stats.ms,
  });
  for (const batch of batches(result.plan))
    await planned.perform(batch[0]?.action ?? "", batch, state, context);
  const again = await planned.problem(state, context);
  if ("settled" in again) {
    if (!again.settled.restored) return again.settled;
  } else {
    const unmet = unmetFacts(again.problem);
    if (unmet.length > 0) {
      const more = unmet.length > MAX_SHOWN ? `, and ${unmet.length - MAX_SHOWN} more` : "";
      return {
        restored: false,
        reason: `after ${result.plan.length} planned actions the state is still not as recorded: ${unmet
          .slice(0, MAX_SHOWN)
          .map(describeFact)
          .join("; ")}${more}`,
      };
    }
  }
  if (setup.held !== undefined) return { restored: false, reason: setup.held };
  const detail = await planned.finish(state, context);
  return { restored: true, detail: `${detail} (a plan of ${result.plan.length} actions)` };
}
