import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useMoto } from "../../../../test/support/moto.ts";
import { removeTempDirs, tempDir } from "../../../../test/support/temp.ts";
import { ManualClock } from "../../../core/index.ts";
import { openStore, type Store } from "../../../store/index.ts";
import { defaultProviders, KNOWN_ACTIONS } from "../../actions/index.ts";
import {
  commitRunById,
  IDENTITY_EVENT,
  purgeKeptById,
  runOperation,
  undoRunById,
} from "../../engine/index.ts";
import { Journal } from "../../journal/index.ts";
import { parseOperation } from "../../loader/index.ts";
import { CONFLICT_POLICIES, type ConflictPolicy, conflictsOf } from "../../reconcile/index.ts";
import { testContext } from "../file/test-support.ts";
import { TAG } from "./calls.ts";
import { makeVolume } from "./ec2-test-support.ts";
import { describeVolumes } from "./facts.ts";
import { EC2_CASES, type Ec2Case, madeBetween } from "./reconcile-test-cases.ts";
import { type DeleteVolumeState, ec2DeleteVolume } from "./volumes.ts";

/**
 * Every EC2 action × the three cases (now = pre, now = post, a third state) × the three
 * policies, through the engine against one moto_server: the table is reconcile-test-cases.ts. One
 * store for the file; each test makes its own resources, so they do not meet.
 */
useMoto();
let store: Store;
const clock = new ManualClock("2026-05-01T10:00:00Z");
beforeAll(async () => {
  store = await openStore({ home: await tempDir() });
});
afterAll(async () => {
  await store.close();
  await removeTempDirs();
});

const options = () => ({ store, clock, leaseMs: 60_000 });

async function play(c: Ec2Case, yaml?: string) {
  const ids = await c.world();
  const before = await c.look(ids);
  const operation = parseOperation(
    yaml ??
      `opsdojo: operation/v1\nname: one-step\nsteps:\n  - name: change\n    uses: ${c.action}\n    with: ${c.step(ids)}\n`,
    "op.yaml",
  );
  const run = await runOperation({ operation, operationId: "op_1", params: {} }, options());
  expect(run.status).toBe("succeeded");
  const after = await c.look(ids);
  if (c.changes !== false) expect(after, "the step changed nothing").not.toEqual(before);
  const journal = new Journal(store, clock);
  const undo = (onConflict?: ConflictPolicy) =>
    undoRunById(run.id, { operation, params: {} }, { ...options(), ...(onConflict ? { onConflict } : {}) });
  const events = async (type: string) =>
    (await journal.events(run.id, 0, 1000)).filter((e) => e.type === type).map((e) => e.data);
  return { ids, before, made: madeBetween(before, after), run, journal, undo, events };
}

async function keptFacts(location: string): Promise<unknown> {
  const data = await store.blobs.get(location.slice("blob:".length));
  return data === undefined ? undefined : JSON.parse(Buffer.from(data).toString("utf8")).facts;
}

it("the table holds every ec2.* action, and each has a reconciler", () => {
  const ec2 = KNOWN_ACTIONS.filter((a) => a.startsWith("ec2."));
  expect(EC2_CASES.map((c) => c.action).sort()).toEqual([...ec2].sort());
  expect(ec2).toHaveLength(24);
  const providers = defaultProviders();
  expect(ec2.filter((a) => providers.get(a)?.reconcile === undefined)).toEqual([]);
});

describe.each(EC2_CASES)("reconcile: $action", (c) => {
  const { same, other } = c;
  if (same !== undefined)
    it("now = pre (put back by hand): undone, already_restored", async () => {
      const { ids, before, made, undo, events } = await play(c);
      await same(ids, made);
      expect((await undo()).status).toBe("rolled_back");
      expect(await c.look(ids)).toEqual(before);
      expect(await events("step.undone")).toEqual([expect.objectContaining({ reason: "already_restored" })]);
      expect(await events("step.conflict")).toEqual([]);
    });

  it("now = post: undone as always, no conflict", async () => {
    const { ids, before, undo, events } = await play(c);
    expect((await undo()).status).toBe("rolled_back");
    expect(await c.look(ids)).toEqual(before);
    expect(await events("step.conflict")).toEqual([]);
    expect(await events("step.observed")).toHaveLength(2);
  });

  if (other !== undefined)
    it.each(CONFLICT_POLICIES)("a third state, policy %s", async (policy) => {
      const { ids, before, made, run, journal, undo, events } = await play(c);
      await other(ids, made);
      const theirs = await c.look(ids);
      const result = await undo(policy === "refuse" ? undefined : policy);
      const conflicts = await conflictsOf(journal, run.id);
      expect(conflicts).toHaveLength(1);
      expect(conflicts[0]).toMatchObject({ step: "change", policy });
      expect(new Set([conflicts[0]?.pre, conflicts[0]?.post, conflicts[0]?.now]).size).toBe(3);
      if (policy === "refuse") {
        expect(result.status).toBe("rollback_incomplete");
        expect(result.unrestored[0]?.conflicts).toHaveLength(1);
        expect(await c.look(ids)).toEqual(theirs);
        return;
      }
      if (policy === "keep") {
        expect(result.status).toBe("rolled_back");
        expect(await c.look(ids)).toEqual(theirs);
        expect(await events("step.kept")).toHaveLength(1);
        return;
      }
      if (c.restores === false) {
        // Restored as far as the action can, and said so: the step stays not undone.
        expect(result.status).toBe("rollback_incomplete");
        expect(result.unrestored[0]?.reason).not.toBe("");
        return;
      }
      expect(result.status).toBe("rolled_back");
      expect(await c.look(ids)).toEqual(before);
      const keptAt = String(conflicts[0]?.kept_at);
      expect(keptAt).toMatch(/^blob:/);
      expect(await keptFacts(keptAt)).toBeDefined();
      await commitRunById(run.id, options());
      expect(await keptFacts(keptAt), "kept versions survive commit").toBeDefined();
      expect((await purgeKeptById(run.id, options())).purged).toEqual([keptAt]);
      expect(await keptFacts(keptAt)).toBeUndefined();
    });
});

describe("reconcile under a new id (engine/identities.ts)", () => {
  it("a step on a volume an earlier undo recreated is reconciled on the new volume", async () => {
    const v = await makeVolume({ app: "db", team: "a" });
    const yaml = [
      "opsdojo: operation/v1",
      "name: retire-volume",
      "steps:",
      "  - name: label",
      "    uses: ec2.create_tags",
      `    with: { resources: [${v}], tags: [{ key: team, value: b }] }`,
      "  - name: remove",
      "    uses: ec2.delete_volume",
      `    with: { volume_id: ${v} }`,
      "",
    ].join("\n");
    const look = async () => (await describeVolumes("test", undefined)).length;
    const { undo, events } = await play({ action: "", world: async () => ({}), step: () => "", look }, yaml);
    expect(await describeVolumes("test", [v])).toEqual([]);
    // Undo: `remove` brings the volume back as a new one (with team=b, as it was when deleted);
    // `label` then finds its post-state on that volume and puts team=a back — no conflict.
    const result = await undo();
    expect(result.unrestored).toEqual([]);
    expect(result.status).toBe("rolled_back");
    const [renamed] = await events("identity.changed");
    expect(renamed).toMatchObject({ from: v });
    const now = await describeVolumes("test", [String(renamed?.to)]);
    expect(now[0]?.tags).toEqual({ app: "db", team: "a", [TAG.restores]: expect.stringContaining(v) });
    expect(await events("step.conflict")).toEqual([]);
    expect((await events("step.undone")).map((e) => e.reason ?? "undone")).toEqual(["undone", "undone"]);
  });

  it("an undo killed once it had recreated the volume and journalled the new id: the next one finds it already restored", async () => {
    const v = await makeVolume({ app: "db" });
    const c: Ec2Case = {
      action: "ec2.delete_volume",
      world: async () => ({ v }),
      step: () => `{ volume_id: ${v} }`,
      look: async () => (await describeVolumes("test", [v])).length,
    };
    const { run, journal, undo, events } = await play(c);
    const [record] = await journal.steps(run.id);
    // What the killed undo had done: the action's own undo (a new volume from the snapshot) and
    // `identity.changed` journalled — the step not yet marked undone.
    if (record === undefined) throw new Error("the run journalled no step");
    const input = record.input as Record<string, unknown>;
    const first = await ec2DeleteVolume.undo(
      input,
      record.preState as DeleteVolumeState,
      await testContext(run.id),
    );
    const to = first.restored ? first.renamed?.[0]?.to : undefined;
    expect(to).toMatch(/^vol-/);
    await journal.note(run.id, IDENTITY_EVENT, {
      target: "local",
      step_index: 0,
      resource: "volume",
      from: v,
      to,
    });
    expect((await undo()).status).toBe("rolled_back");
    expect(await events("step.undone")).toEqual([expect.objectContaining({ reason: "already_restored" })]);
    const restored = await describeVolumes("test", undefined, [
      { Name: `tag:${TAG.restores}`, Values: [`${v}/*`] },
    ]);
    expect(restored.map((r) => r.id)).toEqual([to]);
  });
});
