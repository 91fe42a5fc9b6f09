import { describe, expect, it } from "vitest";
import type { Recorded, Resource } from "../planner/model.ts";
import { type PlannedUndo, type RestoreSetup, undoByPlan } from "./planned-undo.ts";
import type { ActionContext, PlanReport } from "./provider.ts";

/**
 * A bucket in memory: what the undo reads and changes. `kept` is the trash (key → content);
 * `lazy` makes `perform` skip its work, `written` puts newer content under a key.
 */
class World {
  bucket = false;
  objects = new Map<string, string>();
  kept = new Map<string, string>();
  finished = 0;
  performed: string[][] = [];
  constructor(readonly options: { lazy?: boolean } = {}) {}

  planned(): PlannedUndo<null> {
    return {
      problem: async (): Promise<RestoreSetup> => {
        if (this.kept.size === 0) return { settled: { restored: true } };
        const before: Resource[] = [{ type: "bucket", bucket: "b", exists: true }];
        const after: Resource[] = [{ type: "bucket", bucket: "b", exists: this.bucket }];
        const records: Recorded[] = [];
        const held: string[] = [];
        for (const [key, content] of this.kept) {
          const now = this.objects.get(key);
          if (now !== undefined && now !== content) {
            held.push(key);
            continue;
          }
          const object = { hash: content, metadata: "{}" };
          before.push({ type: "object", bucket: "b", key, object });
          after.push({ type: "object", bucket: "b", key, object: now === undefined ? null : object });
          records.push({ type: "object-backup", bucket: "b", key, ...object });
        }
        return {
          problem: { before, after, records },
          ...(held.length > 0 ? { held: `written again: ${held.join(", ")}` } : {}),
        };
      },
      perform: async (action, batch) => {
        this.performed.push(batch.map((a) => `${action} ${a.args.join(" ")}`));
        if (this.options.lazy) return;
        if (action === "s3.create_bucket") this.bucket = true;
        if (action === "s3.restore_object")
          for (const a of batch) this.objects.set(a.args[1] ?? "", this.kept.get(a.args[1] ?? "") ?? "");
      },
      finish: async () => {
        this.finished++;
        const n = this.kept.size;
        this.kept.clear();
        return `${n} objects put back`;
      },
    };
  }
}

function context(reports: PlanReport[]): ActionContext {
  return {
    runId: "run_1",
    blobs: undefined as never,
    signal: new AbortController().signal,
    onPlan: async (r) => {
      reports.push(r);
    },
  };
}

describe("undoByPlan", () => {
  it("reports the plan, performs it in batches of one action, checks the state, then finishes", async () => {
    const world = new World();
    for (const k of ["a", "b", "c"]) world.kept.set(k, `content of ${k}`);
    const reports: PlanReport[] = [];
    const outcome = await undoByPlan(world.planned(), null, context(reports));
    expect(outcome).toEqual({ restored: true, detail: "3 objects put back (a plan of 4 actions)" });
    expect(reports).toEqual([expect.objectContaining({ found: true, actions: expect.any(Array) })]);
    expect(world.performed.map((b) => b.length)).toEqual([1, 3]);
    expect(world.performed[0]).toEqual(["s3.create_bucket b"]);
    expect(world.objects.get("b")).toBe("content of b");
    // Idempotent: the second undo finds nothing to do and changes nothing.
    expect(await undoByPlan(world.planned(), null, context(reports))).toEqual({ restored: true });
    expect(world.performed).toHaveLength(2);
  });

  it("says what is still not as recorded when the plan's actions did not do their work, and keeps the copies", async () => {
    const world = new World({ lazy: true });
    world.kept.set("a", "x");
    const outcome = await undoByPlan(world.planned(), null, context([]));
    expect(outcome.restored).toBe(false);
    expect(outcome.restored ? "" : outcome.reason).toMatch(
      /after 2 planned actions the state is still not as recorded/,
    );
    expect(world.finished).toBe(0);
    expect(world.kept.size).toBe(1);
  });

  it("restores the rest but ends unrestored, copies kept, when a key was written again since", async () => {
    const world = new World();
    world.bucket = true;
    world.kept.set("a", "old a");
    world.kept.set("b", "old b");
    world.objects.set("b", "newer b");
    const outcome = await undoByPlan(world.planned(), null, context([]));
    expect(outcome).toEqual({ restored: false, reason: "written again: b" });
    expect(world.objects.get("a")).toBe("old a");
    expect(world.objects.get("b")).toBe("newer b");
    expect(world.finished).toBe(0);
  });

  it("reports that no plan exists, with the planner's reason, and changes nothing", async () => {
    const world = new World();
    const planned = world.planned();
    const reports: PlanReport[] = [];
    const outcome = await undoByPlan(
      {
        ...planned,
        // An object recorded with no backup of it: nothing can bring it back.
        problem: async () => ({
          problem: {
            before: [
              { type: "bucket", bucket: "b", exists: true },
              { type: "object", bucket: "b", key: "k", object: { hash: "h", metadata: "{}" } },
            ],
            after: [
              { type: "bucket", bucket: "b", exists: false },
              { type: "object", bucket: "b", key: "k", object: null },
            ],
            records: [],
          },
        }),
      },
      null,
      context(reports),
    );
    expect(outcome.restored).toBe(false);
    expect(outcome.restored ? "" : outcome.reason).toMatch(/^no way back was found: .*b\/k/);
    expect(reports).toEqual([expect.objectContaining({ found: false })]);
    expect(world.performed).toEqual([]);
  });
});
