import { chmod, lstat, mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { snapshotTree } from "../../../test/support/tree-snapshot.ts";
import { CursorCodec } from "../../api/index.ts";
import { ManualClock, randomSecret } from "../../core/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { buildPostmortem, loadPostmortemInput, renderMarkdown } from "../postmortem/index.ts";
import { loadScenario } from "../scenario/index.ts";
import { listEntries } from "../timeline/index.ts";
import { startSession } from "./runner.ts";

// Real sessions on a real store: three faults break real files; players fix them their own way
// (the same bytes, other bytes, a file deleted again); the restore reconciles (issue 14).

const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
afterAll(removeTempDirs);

/** `policy`: the scenario's `on_conflict:` (absent: the default, restore). */
async function world(policy?: string) {
  const dir = await tempDir();
  const w = join(dir, "srv");
  await mkdir(w);
  await writeFile(join(w, "app.conf"), "mode=healthy\nworkers=2\n", { mode: 0o644 });
  await writeFile(join(w, "token"), "t0k3n\n", { mode: 0o600 });
  const file = join(dir, "scenario.yaml");
  await writeFile(
    file,
    `opsdojo: scenario/v1
name: touched-world
timebox: 10m
stable_for: 1s
${policy ? `on_conflict: ${policy}\n` : ""}brief: The app is unhealthy and a token is gone.
roles: [gm, primary]
faults:
  - name: break-things
    at: 1s
    steps:
      - { name: config, uses: file.write, with: { path: ${w}/app.conf, content: "mode=broken\\n" } }
      - { name: token, uses: file.delete, with: { path: ${w}/token } }
      - { name: flag, uses: file.write, with: { path: ${w}/maintenance.flag, content: "on\\n" } }
objectives:
  - name: app-healthy
    file: { path: ${w}/app.conf, contains: "mode=healthy" }
`,
  );
  const before = await snapshotTree(w);
  const store = await openStore({ home: dir });
  stores.push(store);
  const clock = new ManualClock("2026-03-01T10:00:00.000Z");
  const session = await startSession(
    { loaded: await loadScenario(file), gm: "alice", players: [{ name: "bob", role: "primary" }] },
    {
      store,
      clock,
      owner: "test-host:1",
      pollMs: 1000,
      restoreWithinMs: 0,
      sleep: async (ms: number) => clock.advance(ms),
    },
  );
  clock.advance(1000);
  await session.tick(); // the fault goes in
  expect(await readFile(join(w, "app.conf"), "utf8")).toBe("mode=broken\n");
  /** Let the objective stay passing until the session resolves, then restores. */
  const finish = async () => {
    for (let i = 0; i < 5; i++) {
      clock.advance(1000);
      const ended = await session.tick();
      if (ended) return ended;
    }
    throw new Error("the session did not end");
  };
  const world = async () =>
    Object.fromEntries(
      Object.entries(await snapshotTree(w)).filter(([p]) => !p.startsWith(".opsdojo-trash")),
    );
  const postmortem = async () =>
    buildPostmortem(
      await loadPostmortemInput({ store, clock, cursors: new CursorCodec(randomSecret(32)) }, session.id),
    );
  return { w, store, before, finish, world, session, postmortem };
}

describe("a game day's restore in a world the players touched", () => {
  it("players who restore the exact pre-state: clean_restore with no conflict, nothing left in the trash", async () => {
    const t = await world();
    await writeFile(join(t.w, "app.conf"), "mode=healthy\nworkers=2\n");
    await writeFile(join(t.w, "token"), "t0k3n\n", { mode: 0o600 });
    await chmod(join(t.w, "token"), 0o600);
    await rm(join(t.w, "maintenance.flag")); // deleted again
    const ended = await t.finish();
    expect(ended).toMatchObject({ status: "ended", cleanRestore: true });
    expect(await t.world()).toEqual(t.before);
    const kinds = (await listEntries(t.store.db, t.session.id)).map((e) => e.kind);
    expect(kinds).not.toContain("fault.conflict");
    expect(await lstat(join(t.w, ".opsdojo-trash")).catch(() => undefined)).toBeUndefined();
    expect((await t.postmortem()).players_changed).toEqual([]);
  });

  it("players who write their own fix: the pre-drill world byte for byte, theirs kept and named on the timeline and in the postmortem", async () => {
    const t = await world();
    await writeFile(join(t.w, "app.conf"), "mode=healthy\nworkers=4\n");
    await writeFile(join(t.w, "token"), "n3w-t0k3n\n", { mode: 0o600 });
    const ended = await t.finish();
    expect(ended).toMatchObject({ status: "ended", cleanRestore: true });
    expect(await t.world()).toEqual(t.before);
    expect((await stat(join(t.w, "token"))).mode & 0o777).toBe(0o600);

    const conflicts = (await listEntries(t.store.db, t.session.id)).filter(
      (e) => e.kind === "fault.conflict",
    );
    expect(conflicts.map((e) => e.data.resource).sort()).toEqual([
      `file ${t.w}/app.conf`,
      `file ${t.w}/token`,
    ]);
    const config = conflicts.find((e) => e.data.resource === `file ${t.w}/app.conf`);
    const keptAt = String(config?.data.kept_at);
    expect(config?.text).toContain(`theirs is kept at ${keptAt}`);
    expect(await readFile(keptAt, "utf8")).toBe("mode=healthy\nworkers=4\n");
    const token = conflicts.find((e) => e.data.resource === `file ${t.w}/token`);
    expect(await readFile(String(token?.data.kept_at), "utf8")).toBe("n3w-t0k3n\n");

    const pm = await t.postmortem();
    expect(pm.players_changed).toHaveLength(2);
    const md = renderMarkdown(pm);
    expect(md).toContain("## What the players changed");
    expect(md).toContain(keptAt);
    expect(md).toContain("-workers=2");
    expect(md).toContain("+workers=4");
  });

  it("a scenario with on_conflict: keep leaves the players' fix as they made it, and says so", async () => {
    const t = await world("keep");
    await writeFile(join(t.w, "app.conf"), "mode=healthy\nworkers=4\n");
    const ended = await t.finish();
    expect(ended).toMatchObject({ status: "ended" });
    expect(await readFile(join(t.w, "app.conf"), "utf8")).toBe("mode=healthy\nworkers=4\n");
    const conflicts = (await listEntries(t.store.db, t.session.id)).filter(
      (e) => e.kind === "fault.conflict",
    );
    expect(conflicts.map((e) => [e.data.resource, e.data.policy])).toEqual([
      [`file ${t.w}/app.conf`, "keep"],
    ]);
    expect(conflicts[0]?.text).toContain("left as they made it");
    // The other faults' steps went back as always.
    expect(await readFile(join(t.w, "token"), "utf8")).toBe("t0k3n\n");
  });

  it("a scenario with on_conflict: refuse touches nothing the players changed: the restore is not clean", async () => {
    const t = await world("refuse");
    await writeFile(join(t.w, "app.conf"), "mode=healthy\nworkers=4\n");
    const ended = await t.finish();
    expect(ended).toMatchObject({ status: "ended", cleanRestore: false });
    expect(await readFile(join(t.w, "app.conf"), "utf8")).toBe("mode=healthy\nworkers=4\n");
    const entries = await listEntries(t.store.db, t.session.id);
    const conflicts = entries.filter((e) => e.kind === "fault.conflict");
    expect(conflicts.map((e) => e.data.policy)).toEqual(["refuse"]);
    const restored = entries.find((e) => e.kind === "fault.restored");
    expect(restored?.text).toContain("NOT fully undone: rollback_incomplete");
  });
});
