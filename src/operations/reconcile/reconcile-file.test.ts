import { chmod, lstat, readFile, rename, rm, rmdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { snapshotTree, type TreeSnapshot } from "../../../test/support/tree-snapshot.ts";
import { ManualClock } from "../../core/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { commitRunById, purgeKeptById, runOperation, undoRunById } from "../engine/index.ts";
import { Journal } from "../journal/index.ts";
import { parseOperation } from "../loader/index.ts";
import { CONFLICT_POLICIES, type ConflictPolicy, conflictsOf } from "./index.ts";

const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
afterAll(removeTempDirs);

/**
 * One file action: the world before it, the step, and what players do afterwards to bring a
 * resource back exactly as before (`same`) or to a state of their own (`other`).
 */
interface Case {
  readonly action: string;
  readonly world: (w: string) => Promise<void>;
  readonly step: (w: string) => string;
  readonly same: (w: string) => Promise<void>;
  readonly other: (w: string) => Promise<void>;
}

const CASES: readonly Case[] = [
  {
    action: "file.write",
    world: (w) => writeFile(join(w, "app.conf"), "workers=2\n", { mode: 0o644 }),
    step: (w) => `{ path: "${w}/app.conf", content: "workers=4\\n" }`,
    same: (w) => writeFile(join(w, "app.conf"), "workers=2\n"),
    other: (w) => writeFile(join(w, "app.conf"), "workers=8 # the players' fix\n"),
  },
  {
    action: "file.delete",
    world: (w) => writeFile(join(w, "token"), "s3cr3t\n", { mode: 0o600 }),
    step: (w) => `{ path: "${w}/token" }`,
    same: (w) => writeFile(join(w, "token"), "s3cr3t\n", { mode: 0o600 }),
    other: (w) => writeFile(join(w, "token"), "new-token\n", { mode: 0o600 }),
  },
  {
    action: "file.mkdir",
    world: async () => {},
    step: (w) => `{ path: "${w}/cache" }`,
    same: (w) => rmdir(join(w, "cache")),
    other: (w) => writeFile(join(w, "cache", "entry"), "players\n"),
  },
  {
    action: "file.copy",
    world: async (w) => {
      await writeFile(join(w, "release.conf"), "v2\n");
      await writeFile(join(w, "app.conf"), "v1\n");
    },
    step: (w) => `{ from: "${w}/release.conf", to: "${w}/app.conf" }`,
    same: (w) => writeFile(join(w, "app.conf"), "v1\n"),
    other: (w) => writeFile(join(w, "app.conf"), "v3 by hand\n"),
  },
  {
    action: "file.move",
    world: (w) => writeFile(join(w, "current.log"), "lines\n"),
    step: (w) => `{ from: "${w}/current.log", to: "${w}/old.log" }`,
    same: (w) => rename(join(w, "old.log"), join(w, "current.log")),
    // A new current.log beside the moved one: the move's undo can still bring the old one home.
    other: (w) => writeFile(join(w, "current.log"), "a fresh log\n"),
  },
  {
    action: "file.chmod",
    world: (w) => writeFile(join(w, "key"), "k\n", { mode: 0o644 }),
    step: (w) => `{ path: "${w}/key", mode: "0600" }`,
    same: (w) => chmod(join(w, "key"), 0o644),
    other: (w) => chmod(join(w, "key"), 0o640),
  },
  {
    action: "file.symlink",
    world: async () => {},
    step: (w) => `{ path: "${w}/current", target: "releases/2" }`,
    same: (w) => rm(join(w, "current")),
    other: async (w) => {
      await rm(join(w, "current"));
      await symlink("releases/1", join(w, "current"));
    },
  },
  {
    action: "file.replace",
    world: (w) => writeFile(join(w, "nginx.conf"), "listen 80;\n"),
    step: (w) => `{ path: "${w}/nginx.conf", find: "80", replace: "8080" }`,
    same: (w) => writeFile(join(w, "nginx.conf"), "listen 80;\n"),
    other: (w) => writeFile(join(w, "nginx.conf"), "listen 9090;\n"),
  },
];

/** The world without the run's trash (what it keeps for undo, and what reconcile kept aside). */
async function world(w: string): Promise<TreeSnapshot> {
  const all = await snapshotTree(w);
  return Object.fromEntries(Object.entries(all).filter(([path]) => !path.startsWith(".opsdojo-trash")));
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

async function setup(c: Case) {
  const w = await tempDir();
  const store = await openStore({ home: await tempDir() });
  stores.push(store);
  const options = { store, clock: new ManualClock("2026-05-01T10:00:00Z"), leaseMs: 60_000 };
  await c.world(w);
  const before = await world(w);
  const operation = parseOperation(
    `opsdojo: operation/v1\nname: one-step\nsteps:\n  - name: change\n    uses: ${c.action}\n    with: ${c.step(w)}\n`,
    "op.yaml",
  );
  const run = await runOperation({ operation, operationId: "op_1", params: {} }, options);
  expect(run.status).toBe("succeeded");
  const journal = new Journal(store, options.clock);
  const undo = (onConflict?: ConflictPolicy) =>
    undoRunById(run.id, { operation, params: {} }, { ...options, ...(onConflict ? { onConflict } : {}) });
  const stepEvents = async (type: string) =>
    (await journal.events(run.id, 0, 1000)).filter((e) => e.type === type).map((e) => e.data);
  return { w, before, run, journal, undo, stepEvents, options };
}

describe.each(CASES)("reconcile: $action", (c) => {
  it("now = pre (the players put it back exactly): undone, already_restored, backups purged", async () => {
    const { w, before, undo, stepEvents } = await setup(c);
    await c.same(w);
    const result = await undo();
    expect(result.status).toBe("rolled_back");
    expect(await world(w)).toEqual(before);
    expect(await stepEvents("step.undone")).toEqual([
      expect.objectContaining({ reason: "already_restored" }),
    ]);
    expect(await stepEvents("step.conflict")).toEqual([]);
    expect(await exists(join(w, ".opsdojo-trash"))).toBe(false);
  });

  it("now = post: undone as always", async () => {
    const { w, before, undo, stepEvents } = await setup(c);
    const result = await undo();
    expect(result.status).toBe("rolled_back");
    expect(await world(w)).toEqual(before);
    expect(await stepEvents("step.undone")).toEqual([
      expect.not.objectContaining({ reason: expect.anything() }),
    ]);
    expect(await exists(join(w, ".opsdojo-trash"))).toBe(false);
  });

  it.each(CONFLICT_POLICIES)("a third state, policy %s", async (policy) => {
    const { w, before, run, journal, undo, stepEvents, options } = await setup(c);
    await c.other(w);
    const theirs = await world(w);
    const result = await undo(policy === "refuse" ? undefined : policy);
    const conflicts = await conflictsOf(journal, run.id);
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({ step: "change", policy });
    expect(conflicts[0]?.resource).toMatch(/^file \//);
    expect(new Set([conflicts[0]?.pre, conflicts[0]?.post, conflicts[0]?.now]).size).toBe(3);
    if (policy === "refuse") {
      expect(result.status).toBe("rollback_incomplete");
      expect(result.unrestored[0]?.conflicts?.[0]?.resource).toBe(conflicts[0]?.resource);
      expect(result.unrestored[0]?.reason).toContain("--on-conflict restore");
      expect(await world(w)).toEqual(theirs);
      return;
    }
    expect(result.status).toBe("rolled_back");
    if (policy === "keep") {
      expect(await world(w)).toEqual(theirs);
      expect(await stepEvents("step.kept")).toHaveLength(1);
      return;
    }
    // restore: the world is back, byte for byte, and the players' version is kept and named.
    expect(await world(w)).toEqual(before);
    const keptAt = conflicts[0]?.kept_at as string;
    expect(keptAt).toContain("/.opsdojo-trash/");
    const path = conflicts[0]?.resource.slice("file ".length) as string;
    const kept = await snapshotTree(keptAt);
    const original = Object.fromEntries(
      Object.entries(theirs)
        .filter(([p]) => p === path.slice(w.length + 1) || p.startsWith(`${path.slice(w.length + 1)}/`))
        .map(([p, v]) => [p === path.slice(w.length + 1) ? "." : p.slice(path.length - w.length), v]),
    );
    expect(kept).toEqual(original);
    // Kept aside survives commit, until purge-kept.
    await commitRunById(run.id, options);
    expect(await exists(keptAt)).toBe(true);
    expect((await purgeKeptById(run.id, options)).purged).toEqual([keptAt]);
    expect(await exists(keptAt)).toBe(false);
    expect((await purgeKeptById(run.id, options)).purged).toEqual([]);
    expect(await exists(join(w, ".opsdojo-trash"))).toBe(false);
  });
});

describe("reconcile: refused, then restored", () => {
  it("a refused undo names the three states; --on-conflict restore then restores and keeps theirs", async () => {
    const c = CASES[0] as Case;
    const { w, before, undo } = await setup(c);
    await c.other(w);
    const refused = await undo();
    expect(refused.status).toBe("rollback_incomplete");
    expect(refused.unrestored[0]?.reason).toMatch(
      /before the step: file 0644, 10 bytes.*after it: file 0644, 10 bytes.*now: file 0644, 29 bytes/,
    );
    const restored = await undo("restore");
    expect(restored.status).toBe("rolled_back");
    expect(await world(w)).toEqual(before);
    expect(await readFile(join(w, "app.conf"), "utf8")).toBe("workers=2\n");
  });

  it("the step's on_conflict is the default, and --on-conflict overrides it", async () => {
    const w = await tempDir();
    const store = await openStore({ home: await tempDir() });
    stores.push(store);
    const options = { store, clock: new ManualClock("2026-05-01T10:00:00Z"), leaseMs: 60_000 };
    await writeFile(join(w, "a"), "1\n");
    const operation = parseOperation(
      `opsdojo: operation/v1\nname: one-step\nsteps:\n  - name: change\n    uses: file.write\n    on_conflict: keep\n    with: { path: "${w}/a", content: "2\\n" }\n`,
      "op.yaml",
    );
    const run = await runOperation({ operation, operationId: "op_1", params: {} }, options);
    await writeFile(join(w, "a"), "3\n");
    await undoRunById(run.id, { operation, params: {} }, options);
    expect(await readFile(join(w, "a"), "utf8")).toBe("3\n");
    const steps = await new Journal(store, options.clock).steps(run.id);
    expect(steps[0]?.state).toBe("kept");
  });
});
