import type { AnyProvider } from "../actions/index.ts";
import type { JournalEvent, StepKey } from "../journal/index.ts";
import type { ActionContext } from "../providers/provider.ts";
import type { ConflictPolicy, Recorded } from "./model.ts";

/** The part of the journal reconcile writes and reads: events. */
export interface EventJournal {
  note(runId: string, type: string, data?: Record<string, unknown>): Promise<number>;
  events(runId: string, afterSeq?: number, limit?: number): Promise<JournalEvent[]>;
  /** A value as stored (secrets as markers), so states observed now compare with recorded ones. */
  redacted?<T>(value: T): T;
}

export const OBSERVED = "step.observed";
export const CONFLICT = "step.conflict";
export const KEPT_ASIDE = "step.kept_aside";

const keyOf = (target: string, index: number) => `${target}\u0000${index}`;

/**
 * Journal what the step's resources are (`phase` pre: before the action, post: after it). A
 * state that cannot be observed is not recorded — and is said so — which leaves the step to be
 * undone as always; observing never fails a step.
 */
export async function recordState(
  journal: EventJournal,
  key: StepKey,
  phase: "pre" | "post",
  provider: AnyProvider,
  input: unknown,
  preState: unknown,
  context: ActionContext,
  /** The step's own conflict policy (pre only), so `runs show` can say which applies. */
  onConflict?: ConflictPolicy,
): Promise<void> {
  const reconciler = provider.reconcile;
  if (reconciler === undefined) return;
  const where = {
    target: key.target,
    step_index: key.stepIndex,
    phase,
    ...(onConflict ? { on_conflict: onConflict } : {}),
  };
  try {
    const states = await reconciler.stateOf(input, preState, context);
    await journal.note(key.runId, OBSERVED, { ...where, states });
  } catch (error) {
    await journal.note(key.runId, "step.observe_failed", { ...where, reason: (error as Error).message });
  }
}

/** Every step's recorded states, by `target\u0000stepIndex`, read from the run's events. */
export async function recordedStates(journal: EventJournal, runId: string): Promise<Map<string, Recorded>> {
  const found = new Map<
    string,
    {
      pre?: Record<string, unknown>;
      post?: Record<string, unknown>;
      restoring?: boolean;
      resumeRestoring?: boolean;
    }
  >();
  for (let after = 0; ; ) {
    const events = await journal.events(runId, after, 5000);
    for (const e of events) {
      if (e.type !== OBSERVED && e.type !== CONFLICT && e.type !== "step.started") continue;
      const key = keyOf(String(e.data.target), Number(e.data.step_index));
      const entry = found.get(key) ?? {};
      if (e.type === OBSERVED) {
        const states = e.data.states as Record<string, unknown>;
        // The first pre-state is the one undo restores (a resumed step keeps it); the last post.
        if (e.data.phase === "pre") entry.pre ??= states;
        else entry.post = states;
      } else if (e.type === CONFLICT && e.data.phase === "resume") {
        entry.resumeRestoring = e.data.policy === "restore";
      } else if (e.type === CONFLICT) {
        entry.restoring = e.data.policy === "restore";
      } else {
        // A new attempt of the step: a resume's restore before it is done with.
        entry.resumeRestoring = false;
      }
      found.set(key, entry);
    }
    if (events.length < 5000) break;
    after = events.at(-1)?.seq ?? after;
  }
  return found;
}

export function recordedOf(map: ReadonlyMap<string, Recorded>, target: string, stepIndex: number): Recorded {
  return map.get(keyOf(target, stepIndex)) ?? {};
}
