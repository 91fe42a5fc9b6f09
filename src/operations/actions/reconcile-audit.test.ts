import { describe, expect, it } from "vitest";
import { BUILT_IN_ACTIONS } from "./index.ts";

/**
 * Undo converges only where an action can be reconciled (docs/operations.md "Undo in a world
 * someone else touched"): every built-in action has a reconciler, or its registry line says why
 * not. A new action with neither fails here, not in a drill.
 */
describe("every built-in action and reconcile", () => {
  it("has a reconciler or a registry note saying why it has none", () => {
    const silent = BUILT_IN_ACTIONS.filter(
      (e) => e.provider.reconcile === undefined && e.reconcile === undefined,
    );
    expect(
      silent.map((e) => e.name),
      "give the provider a `reconcile` (src/operations/reconcile/), or its registry line `reconcile: { none: why }`",
    ).toEqual([]);
  });

  it("has no note that its reconciler makes untrue", () => {
    const stale = BUILT_IN_ACTIONS.filter(
      (e) => e.provider.reconcile !== undefined && e.reconcile !== undefined,
    );
    expect(
      stale.map((e) => e.name),
      "these actions have a reconciler now: drop `reconcile:` from their registry line",
    ).toEqual([]);
  });

  it("gives a reason for each action without one", () => {
    for (const e of BUILT_IN_ACTIONS) {
      const note = e.reconcile;
      if (note === undefined) continue;
      expect(note.none.length, e.name).toBeGreaterThan(10);
    }
  });
});
