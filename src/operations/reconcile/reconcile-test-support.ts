import { expect } from "vitest";
import { tempDir } from "../../../test/support/temp.ts";
import { ManualClock } from "../../core/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { runOperation, undoRunById } from "../engine/index.ts";
import { Journal } from "../journal/index.ts";
import { parseOperation } from "../loader/index.ts";
import type { ConflictPolicy } from "./index.ts";

/** One action's step, the world it needs and how to read that world back (the reconcile tests' cases). */
export interface OneStepCase {
  readonly action: string;
  readonly world: (r: string) => Promise<void>;
  readonly step: (r: string) => string;
  readonly snapshot: (r: string) => Promise<unknown>;
}

/**
 * A one-step operation of `c.action` on resource `r`, run for real on a new store (pushed onto
 * `stores` for closing), after which the world must have changed. Returns what the tests undo,
 * read and compare with.
 */
export async function oneStepRun(c: OneStepCase, r: string, stores: Store[]) {
  const store = await openStore({ home: await tempDir() });
  stores.push(store);
  const options = { store, clock: new ManualClock("2026-05-01T10:00:00Z"), leaseMs: 60_000 };
  await c.world(r);
  const before = await c.snapshot(r);
  const operation = parseOperation(
    `opsdojo: operation/v1\nname: one-step\nsteps:\n  - name: change\n    uses: ${c.action}\n    with: ${c.step(r)}\n`,
    "op.yaml",
  );
  const run = await runOperation({ operation, operationId: "op_1", params: {} }, options);
  expect(run.status).toBe("succeeded");
  expect(await c.snapshot(r)).not.toEqual(before);
  const journal = new Journal(store, options.clock);
  const undo = (onConflict?: ConflictPolicy) =>
    undoRunById(run.id, { operation, params: {} }, { ...options, ...(onConflict ? { onConflict } : {}) });
  const events = async (type: string) =>
    (await journal.events(run.id, 0, 1000)).filter((e) => e.type === type).map((e) => e.data);
  return { r, store, before, run, journal, undo, events, options };
}
