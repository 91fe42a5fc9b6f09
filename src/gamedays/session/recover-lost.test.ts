import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { ManualClock } from "../../core/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { loadScenario } from "../scenario/index.ts";
import { listEntries } from "../timeline/index.ts";
import { restoreLostSessions } from "./recover.ts";
import { SessionRepository } from "./repository.ts";
import { startSession } from "./runner.ts";

// A server node on another host hosts a session, injects its fault, and goes silent: only the
// lease (on an injected clock) says it is gone. Real store, real file, real runs of the engine.

const LEASE_MS = 30_000;
const stores: Store[] = [];
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await removeTempDirs();
});

async function hostedAndSilent(owner: string) {
  const dir = await tempDir();
  const conf = join(dir, "app.conf");
  await writeFile(conf, "mode=healthy\n");
  const file = join(dir, "scenario.yaml");
  await writeFile(
    file,
    `opsdojo: scenario/v1
name: broken-conf
timebox: 10m
brief: The app says it is unhealthy.
faults:
  - name: break-conf
    at: 0s
    steps:
      - { name: write, uses: file.write, with: { path: ${conf}, content: "mode=broken\\n" } }
objectives:
  - name: app-healthy
    file: { path: ${conf}, contains: "healthy" }
`,
  );
  const store = await openStore({ home: dir });
  stores.push(store);
  const clock = new ManualClock("2026-03-01T10:00:00.000Z");
  const runner = await startSession(
    { loaded: await loadScenario(file), gm: "alice", players: [] },
    { store, clock, owner, leaseMs: LEASE_MS, restoreWithinMs: 0 },
  );
  await runner.tick();
  expect(await readFile(conf, "utf8")).toBe("mode=broken\n");
  // No more ticks: the node is gone.
  return { id: runner.id, conf, store, clock, repo: new SessionRepository(store, clock) };
}

describe("a hosted session whose node died", () => {
  it("is restored and ended by a surviving node once its lease has run out, not before", async () => {
    const w = await hostedAndSilent("far-host:4242/gd-0badf00d");
    const survivor = "here:1/gd-11111111";
    w.clock.advance(LEASE_MS - 1);
    expect(await restoreLostSessions(w.store, w.clock, survivor)).toEqual([]);
    expect((await w.repo.get(w.id)).status).toBe("running");
    w.clock.advance(2);
    expect(await restoreLostSessions(w.store, w.clock, survivor, { leaseMs: LEASE_MS })).toEqual([w.id]);
    const session = await w.repo.get(w.id);
    expect(session.status).toBe("ended");
    expect(session.cleanRestore).toBe(true);
    expect(await readFile(w.conf, "utf8")).toBe("mode=healthy\n");
    const entries = await listEntries(w.store.db, w.id);
    const ended = entries.find((e) => e.kind === "session.ended");
    expect(ended?.text).toContain(`node ${survivor}, as its host far-host:4242/gd-0badf00d died`);
    // A second look restores nothing again.
    expect(await restoreLostSessions(w.store, w.clock, survivor)).toEqual([]);
  });

  it("a session of `gameday start` (owner <host>:<pid>) is interrupted but left to `gameday restore`", async () => {
    const w = await hostedAndSilent("far-host:4242");
    w.clock.advance(LEASE_MS + 1);
    expect(await restoreLostSessions(w.store, w.clock, "here:1/gd-11111111")).toEqual([]);
    expect((await w.repo.get(w.id)).status).toBe("interrupted");
    expect(await readFile(w.conf, "utf8")).toBe("mode=broken\n");
  });
});
