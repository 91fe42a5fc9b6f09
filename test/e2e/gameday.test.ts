import { type ChildProcess, execFile, spawn } from "node:child_process";
import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, it } from "vitest";
import { systemClock } from "../../src/core/index.ts";
import { listEntries, SessionRepository } from "../../src/gamedays/index.ts";
import { openStore, type Store } from "../../src/store/index.ts";
import { BIN, cleanEnv, opsdojo } from "../support/opsdojo-process.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";
import { snapshotTree } from "../support/tree-snapshot.ts";

// The example game days of examples/gamedays/, played through the real `opsdojo` command against
// the real orders service on loopback: the faults really break it, the session is driven by
// other `opsdojo gameday` processes as a GM and players would, and the world must come back
// byte for byte. Only the service's port, the world's directory and the timings change (fault
// at 1 s, a timebox that is only a safety net); nothing asserts how long anything took.

const EXAMPLES = fileURLToPath(new URL("../../examples/gamedays/", import.meta.url));
const children = new Set<ChildProcess>();

afterAll(async () => {
  await Promise.all([...children].map(stop));
  await removeTempDirs();
});

async function stop(child: ChildProcess): Promise<void> {
  children.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

/** The world (files by world.mjs), the orders service on a free port, and the scenario pointed at both. */
async function world(example: "broken-config" | "full-disk") {
  const dir = await tempDir();
  const root = join(dir, "world");
  await promisify(execFile)(process.execPath, [join(EXAMPLES, "world.mjs"), "make", root]);
  const service = spawn(
    process.execPath,
    [join(EXAMPLES, "service.mjs"), "--dir", join(root, "orders"), "--port", "0"],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  children.add(service);
  const line = await new Promise<string>((resolve) =>
    createInterface({ input: service.stdout as NonNullable<typeof service.stdout> }).once("line", resolve),
  );
  const port = (JSON.parse(line) as { port: number }).port;
  await cp(join(EXAMPLES, "ops"), join(dir, "ops"), { recursive: true });
  const text = (await readFile(join(EXAMPLES, example, "scenario.yaml"), "utf8"))
    .replaceAll("18091", String(port))
    .replaceAll("/tmp/opsdojo-gamedays", root)
    .replace(/\n {4}at: 10s\n/, "\n    at: 1s\n")
    .replace(/timebox: \d+m/, "timebox: 1h")
    .replace(/stable_for: 10s/, "stable_for: 1s");
  // The scenario names its operations as ../ops/…, so it lives one level down, as in examples/.
  await mkdir(join(dir, "play"));
  await writeFile(join(dir, "play", "scenario.yaml"), text);
  return { home: dir, root, port, scenario: join(dir, "play", "scenario.yaml"), service };
}

async function health(port: number): Promise<number> {
  return (await fetch(`http://127.0.0.1:${port}/health`)).status;
}

/** Ask again until `probe` says yes: the test waits for things to happen, never for time to pass. */
async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

async function json<T>(home: string, args: string[]): Promise<T> {
  const result = await opsdojo(home, [...args, "--json"]);
  if (result.code !== 0) throw new Error(`opsdojo ${args.join(" ")} exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

/**
 * What the game day's store holds, read in this process, or undefined while it cannot be read
 * yet. The waits probe here: a probe through the CLI costs a process start (about half a second
 * of CPU) every 100 ms for as long as the scenario takes; what the test asserts it still reads
 * through the CLI, once the store says it is there.
 */
async function fromStore<T>(home: string, read: (store: Store) => Promise<T>): Promise<T | undefined> {
  let store: Store | undefined;
  try {
    store = await openStore({ home, migrate: false });
    return await read(store);
  } catch {
    return undefined; // not created or not migrated yet by `gameday start`
  } finally {
    await store?.close();
  }
}

/** Wait until the session's timeline has an entry of `kind`; then the CLI's version of it. */
async function timelineEntry(home: string, id: string, kind: string, what: string): Promise<Entry> {
  await until(
    () => fromStore(home, async (s) => (await listEntries(s.db, id)).find((e) => e.kind === kind)),
    what,
  );
  const t = await json<{ items: Entry[] }>(home, ["gameday", "timeline", id]);
  const entry = t.items.find((e) => e.kind === kind);
  if (entry === undefined)
    throw new Error(`gameday timeline ${id} has no ${kind}: ${JSON.stringify(t.items)}`);
  return entry;
}

interface Entry {
  seq: number;
  at: string;
  kind: string;
  by: string | null;
  text: string;
  data: Record<string, unknown>;
  correct: boolean | null;
}

/** `gameday start … --json` in the background: its exit code and final JSON once it ends. */
function startSession(home: string, scenario: string, extra: string[] = []) {
  const child = spawn(
    process.execPath,
    [
      BIN,
      "gameday",
      "start",
      scenario,
      "--gm",
      "alice",
      "--player",
      "bob:primary",
      "--player",
      "carol:secondary",
      "--poll",
      "200ms",
      "--json",
      ...extra,
    ],
    { env: cleanEnv(home) },
  );
  children.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const done = new Promise<{ code: number | null; json: Record<string, unknown> }>((resolve, reject) =>
    child.once("exit", (code) => {
      children.delete(child);
      try {
        resolve({ code, json: JSON.parse(stdout) as Record<string, unknown> });
      } catch {
        reject(new Error(`gameday start exited ${code} without JSON: ${stderr}`));
      }
    }),
  );
  return { child, done };
}

/** The id of the session `start` opened, as `gameday list` shows it (or why `start` gave up). */
async function runningSession(home: string, session: ReturnType<typeof startSession>): Promise<string> {
  let exited: unknown;
  session.done.then(
    (r) => {
      exited = new Error(`gameday start exited ${r.code} early: ${JSON.stringify(r.json)}`);
    },
    (error: unknown) => {
      exited = error;
    },
  );
  const id = await until(async () => {
    if (exited) throw exited;
    const sessions = await fromStore(home, (s) => new SessionRepository(s, systemClock).list());
    return sessions?.find((s) => s.status === "running")?.id;
  }, "the session to start");
  const list = await json<{ items: { id: string; status: string }[] }>(home, ["gameday", "list"]);
  if (!list.items.some((s) => s.id === id && s.status === "running"))
    throw new Error(`gameday list does not show ${id} running: ${JSON.stringify(list.items)}`);
  return id;
}

describe.concurrent("examples/gamedays", { timeout: 600_000 }, () => {
  it("broken-config: the fault breaks the service, the objective turns red, notes land, the GM ends it, everything comes back", async ({
    expect,
  }) => {
    const w = await world("broken-config");
    const before = await snapshotTree(w.root);
    const plan = await json<{ valid: boolean; faults: { steps: { undo: string }[] }[] }>(w.home, [
      "gameday",
      "plan",
      w.scenario,
    ]);
    expect(plan.faults[0]?.steps[0]?.undo).toBe("automatic");
    expect(await health(w.port)).toBe(200);

    const session = startSession(w.home, w.scenario);
    const id = await runningSession(w.home, session);
    const follow = opsdojo(w.home, ["gameday", "timeline", id, "--follow", "--json"]);
    // The fault really breaks the service, and the session sees its objective turn red.
    await until(async () => ((await health(w.port)) === 503 ? true : undefined), "the service to break");
    const failing = await timelineEntry(w.home, id, "objective.failing", "the objective to fail");
    expect(failing.text).toContain("orders-healthy fails");

    const ack = await json<Entry>(w.home, [
      "gameday",
      "note",
      id,
      "orders /health is 503",
      "--kind",
      "ack",
      "--by",
      "bob",
    ]);
    const hypothesis = await json<Entry>(w.home, [
      "gameday",
      "note",
      id,
      "db_url looks wrong: postgress://",
      "--kind",
      "hypothesis",
      "--by",
      "carol",
    ]);
    expect(
      await json<Entry>(w.home, ["gameday", "mark", id, String(hypothesis.seq), "--correct"]),
    ).toMatchObject({
      correct: true,
    });
    await json(w.home, ["gameday", "release", id, "hint-1", "--by", "alice"]);
    await timelineEntry(w.home, id, "hint.released", "the hint to be released");
    await json(w.home, ["gameday", "end", id, "--by", "alice"]);

    const { code, json: final } = await session.done;
    expect(code).toBe(0);
    expect(final).toMatchObject({
      id,
      kind: "drill",
      status: "ended",
      end_reason: "gm",
      clean_restore: true,
    });
    // Restored byte for byte, and the service is healthy again.
    expect(await snapshotTree(w.root)).toEqual(before);
    expect(await health(w.port)).toBe(200);

    // The injection instant is the journal's: the fault's run, its first step done.
    const timeline = (await json<{ items: Entry[] }>(w.home, ["gameday", "timeline", id])).items;
    expect(timeline.map((e) => e.seq)).toEqual(timeline.map((_, i) => i + 1));
    // --follow printed the same stream live, one JSON line per entry, and stopped at the end.
    const followed = await follow;
    expect(followed.code).toBe(0);
    // (each entry as it was when printed: the hypothesis was marked correct after it came by)
    const unmarked = (e: Entry) => ({ ...e, correct: null });
    const lines = followed.stdout.trim().split("\n");
    expect(lines.map((l) => unmarked(JSON.parse(l) as Entry))).toEqual(timeline.map(unmarked));
    const injected = timeline.find((e) => e.kind === "fault.injected") as Entry;
    const run = await json<{ events: { type: string; at: string }[]; status: string }>(w.home, [
      "runs",
      "show",
      String(injected.data.run_id),
    ]);
    expect(injected.at).toBe(run.events.find((e) => e.type === "step.succeeded")?.at);
    expect(run.status).toBe("rolled_back");
    const metrics = final.metrics as Record<string, { ms: number; seq: number } | string | boolean | null>;
    const t0 = Date.parse(injected.at);
    expect(metrics.injected_at).toBe(injected.at);
    expect(metrics.acknowledge).toEqual({ at: ack.at, ms: Date.parse(ack.at) - t0, seq: ack.seq });
    expect(metrics.first_correct_hypothesis).toMatchObject({
      ms: Date.parse(hypothesis.at) - t0,
      seq: hypothesis.seq,
    });
    expect(metrics.detect).toMatchObject({ seq: failing.seq, ms: Date.parse(failing.at) - t0 });
    expect(metrics.resolve).toBeNull();
    expect(metrics.clean_restore).toBe(true);

    const report = await json<{
      by_person: Record<string, { sessions: number; acks: number; correct_hypotheses: number }>;
    }>(w.home, ["gameday", "metrics", "--scenario", "broken-config"]);
    expect(report.by_person.bob).toMatchObject({ sessions: 1, acks: 1 });
    expect(report.by_person.carol).toMatchObject({ correct_hypotheses: 1 });
  });

  it("full-disk: the party frees the volume, the session ends resolved on its own and is restored byte for byte", async ({
    expect,
  }) => {
    const w = await world("full-disk");
    const before = await snapshotTree(w.root);
    const session = startSession(w.home, w.scenario);
    const id = await runningSession(w.home, session);
    await until(async () => ((await health(w.port)) === 507 ? true : undefined), "the disk to fill");
    await json(w.home, ["gameday", "note", id, "data volume full", "--kind", "ack", "--by", "bob"]);
    // The fix a player would make: move the backup off the data volume.
    await promisify(execFile)("mv", [
      join(w.root, "orders/data/orders-restore.bak"),
      join(w.root, "moved.bak"),
    ]);
    await json(w.home, [
      "gameday",
      "note",
      id,
      "moved the backup away",
      "--kind",
      "mitigated",
      "--by",
      "bob",
    ]);
    const { code, json: final } = await session.done;
    expect(final).toMatchObject({ end_reason: "resolved" });
    const timeline = (await json<{ items: Entry[] }>(w.home, ["gameday", "timeline", id])).items;
    const resolved = timeline.find((e) => e.kind === "session.resolved") as Entry;
    const passing = timeline.find((e) => e.kind === "objective.passing") as Entry;
    expect(resolved.data.since).toBe(passing.at);
    const metrics = final.metrics as Record<string, { ms: number } | null>;
    expect(metrics.resolve?.ms).toBe(Date.parse(passing.at) - Date.parse(String(final.fault_injected_at)));
    // The moved copy is the player's; the undo has nothing of its own left to remove.
    await promisify(execFile)("rm", [join(w.root, "moved.bak")]);
    expect(code).toBe(0);
    expect(final.clean_restore).toBe(true);
    expect(await snapshotTree(w.root)).toEqual(before);
  });

  it("killed in the middle of a session, gameday restore leaves nothing broken", async ({ expect }) => {
    const w = await world("broken-config");
    const before = await snapshotTree(w.root);
    const session = startSession(w.home, w.scenario);
    const id = await runningSession(w.home, session);
    await until(async () => ((await health(w.port)) === 503 ? true : undefined), "the service to break");
    session.child.kill("SIGKILL");
    await session.done.catch(() => {});
    expect(await health(w.port)).toBe(503);

    const listed = await opsdojo(w.home, ["gameday", "list"]);
    expect(listed.stderr).toContain(`gameday restore ${id}`);
    const restore = await opsdojo(w.home, ["gameday", "restore", id, "--json"]);
    expect(restore.code).toBe(0);
    expect(JSON.parse(restore.stdout)).toMatchObject({
      status: "ended",
      end_reason: "interrupted",
      clean_restore: true,
    });
    expect(await snapshotTree(w.root)).toEqual(before);
    expect(await health(w.port)).toBe(200);
  });

  it("a stop condition that holds aborts the session and restores what the faults changed", async ({
    expect,
  }) => {
    const w = await world("broken-config");
    const conf = join(w.root, "orders", "app.conf");
    const original = await readFile(conf);
    await writeFile(
      w.scenario,
      (await readFile(w.scenario, "utf8")).replace("fails_for: 10s", "fails_for: 1s"),
    );
    const session = startSession(w.home, w.scenario);
    const id = await runningSession(w.home, session);
    await until(async () => ((await health(w.port)) === 503 ? true : undefined), "the service to break");
    // The blast radius grows beyond the drill: the service itself goes away.
    await stop(w.service);
    const { code, json: final } = await session.done;
    expect(final).toMatchObject({ id, end_reason: "stop_condition", clean_restore: false });
    // The fault is undone; the environment is honestly not back, because the service is down.
    expect(code).toBe(2);
    expect(await readFile(conf)).toEqual(original);
    const timeline = (await json<{ items: Entry[] }>(w.home, ["gameday", "timeline", id])).items;
    const kinds = timeline.map((e) => e.kind);
    expect(kinds).toContain("stop_condition.tripped");
    expect(timeline.find((e) => e.kind === "fault.restored")?.data.status).toBe("rolled_back");
    expect(timeline.find((e) => e.kind === "restore.finished")?.data).toMatchObject({
      clean: false,
      undone: true,
    });
  });

  it("plan refuses a fault nothing can undo (exit 3) unless --allow-irreversible", async ({ expect }) => {
    const dir = await tempDir();
    const file = join(dir, "scenario.yaml");
    await writeFile(
      file,
      `opsdojo: scenario/v1
name: one-way
timebox: 1m
brief: b
faults:
  - name: kill-it
    at: 0s
    steps:
      - { name: kill, uses: shell.run, with: { command: "true" } }
objectives:
  - file: { path: ${dir} }
`,
    );
    const refused = await opsdojo(dir, ["gameday", "plan", file]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("faults that cannot be undone: kill-it (steps kill)");
    expect((await opsdojo(dir, ["gameday", "plan", file, "--allow-irreversible"])).code).toBe(0);
    const invalid = await opsdojo(dir, [
      "gameday",
      "plan",
      join(EXAMPLES, "..", "operations", "roll-config.yaml"),
    ]);
    expect(invalid.code).toBe(3);
    expect(invalid.stderr).toMatch(
      /roll-config\.yaml:1:10: opsdojo: got "operation\/v1"; expected "scenario\/v1"/,
    );
  });
});
