import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { freshPostgresUrl } from "../../../test/support/fresh-postgres.ts";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { ManualClock } from "../../core/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { Journal } from "./journal.ts";

const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
afterAll(removeTempDirs);

const run = {
  operationId: "op_1",
  operationName: "roll",
  params: { release: "1.2" },
  owner: "test",
  leaseMs: 30_000,
};

describe.each([
  ["SQLite", async () => openStore({ home: await tempDir() })],
  ["PostgreSQL", async () => openStore({ databaseUrl: await freshPostgresUrl() })],
])("journal on %s", (_name, open) => {
  it("records intent before the action, the outcome after, each transition as a numbered event", async () => {
    const store = await open();
    stores.push(store);
    const journal = new Journal(store, new ManualClock("2026-04-01T09:00:00Z"));
    const runId = await journal.startRun(run);
    const key = { runId, target: "app-1", stepIndex: 0 };
    await journal.intend(key, {
      name: "write-config",
      action: "file.write",
      input: { path: "/a" },
      preState: { existed: false },
    });
    expect((await journal.steps(runId))[0]).toMatchObject({
      state: "intent",
      preState: { existed: false },
      output: null,
    });
    await journal.finish(key, { bytes: 12 });
    await journal.undoing(key);
    await journal.undone(key);
    await journal.setStatus(runId, "rolled_back");
    const events = await journal.events(runId);
    expect(events.map((e) => [e.seq, e.type])).toEqual([
      [1, "run.started"],
      [2, "step.started"],
      [3, "step.succeeded"],
      [4, "step.undo_started"],
      [5, "step.undone"],
      [6, "run.rolled_back"],
    ]);
    expect((await journal.events(runId, 4)).map((e) => e.seq)).toEqual([5, 6]);
    expect(await journal.steps(runId)).toEqual([
      expect.objectContaining({ state: "undone", output: { bytes: 12 }, preState: { existed: false } }),
    ]);
    expect(await journal.status(runId)).toBe("rolled_back");
  });

  it("makes an intent and an undo's start durable before returning; outcomes wait for the next flush", async () => {
    const real = await open();
    stores.push(real);
    const flushed: string[] = [];
    // The real store, told each time the journal asks for durability, with what is committed by then.
    const store: Store = {
      ...real,
      durable: async () => {
        const steps = await real.db.selectFrom("run_steps").select("state").execute();
        flushed.push(steps.map((r) => r.state).join(","));
        await real.durable();
      },
    };
    const journal = new Journal(store, new ManualClock("2026-04-01T09:00:00Z"));
    const runId = await journal.startRun(run);
    const key = { runId, target: "app-1", stepIndex: 0 };
    await journal.intend(key, { name: "w", action: "file.write", input: {}, preState: null });
    expect(flushed).toEqual(["intent"]);
    await journal.finish(key, {});
    expect(flushed).toEqual(["intent"]);
    await journal.undoing(key);
    expect(flushed).toEqual(["intent", "undoing"]);
  });

  it("numbers concurrent events of one run without gaps or repeats", async () => {
    const store = await open();
    stores.push(store);
    const journal = new Journal(store, new ManualClock());
    const runId = await journal.startRun(run);
    const seqs = await Promise.all(
      Array.from({ length: 30 }, (_, i) => journal.note(runId, "check.passed", { i })),
    );
    expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 2));
  });

  it("marks a run whose lease expired as interrupted, and only that one", async () => {
    const store = await open();
    stores.push(store);
    const clock = new ManualClock("2026-04-01T09:00:00Z");
    const journal = new Journal(store, clock);
    const dead = await journal.startRun({ ...run, leaseMs: 1000 });
    const alive = await journal.startRun({ ...run, owner: "other", leaseMs: 60_000 });
    clock.advance(5000);
    expect(await journal.renewLease(alive, "other", 60_000)).toBe(true);
    expect(await journal.renewLease(alive, "thief", 60_000)).toBe(false);
    expect(await journal.markInterrupted()).toEqual([dead]);
    expect(await journal.status(dead)).toBe("interrupted");
    expect(await journal.status(alive)).toBe("running");
  });
});

describe("journal across a SIGKILL", () => {
  it("keeps the intent and captured state of the step that was in flight", async () => {
    const home = await tempDir();
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        fileURLToPath(new URL("../../../test/fixtures/journal-crash-child.ts", import.meta.url)),
        home,
      ],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const runId = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        const m = /intended (run_\w+)/.exec(out);
        if (m) resolve(m[1] as string);
      });
      child.on("exit", (code) => reject(new Error(`the child exited with ${code} before its intent`)));
    });
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    const store = await openStore({ home });
    stores.push(store);
    const clock = new ManualClock(new Date(Date.now() + 60_000));
    const journal = new Journal(store, clock);
    expect(await journal.markInterrupted()).toEqual([runId]);
    expect(await journal.steps(runId)).toEqual([
      expect.objectContaining({
        target: "app-1",
        state: "intent",
        preState: { existed: true, blob: "ab".repeat(32) },
      }),
    ]);
    expect((await journal.events(runId)).map((e) => e.type)).toEqual([
      "run.started",
      "step.started",
      "run.interrupted",
    ]);
  });
});
