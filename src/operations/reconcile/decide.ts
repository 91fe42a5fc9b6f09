import type { Recorded, Verdict } from "./model.ts";

export type Same = (a: unknown, b: unknown) => boolean;

export const sameJson: Same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The three-way decision, from the recorded pre- and post-states and the world now. A step
 * without a recorded pre-state (run before reconcile existed, or an action without a
 * reconciler) is undone as always. A step without a post-state (in flight, failed part way) is
 * `already_restored` when all is as before and otherwise undone as always: what it did is not
 * known, so no third state can be told from its own half-done work.
 */
export function decide(recorded: Recorded, now: Readonly<Record<string, unknown>>, same: Same): Verdict {
  const { pre, post } = recorded;
  if (pre === undefined) return { kind: "undo" };
  const resources = Object.keys(pre);
  if (resources.every((r) => same(pre[r], now[r]))) return { kind: "already_restored" };
  if (post === undefined) return { kind: "undo" };
  const third = resources.filter((r) => !same(now[r], post[r]) && !same(now[r], pre[r]));
  // A resource back as before while another is as the step left it is no conflict: the undo
  // puts the second back and leaves the first as it is.
  if (third.length === 0) return { kind: "undo" };
  return { kind: "conflict", resources: third };
}
