import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { ManualClock } from "../../core/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { Journal, type JournalEvent } from "../journal/index.ts";
import { parseOperation } from "../loader/index.ts";
import {
  defaultProviders,
  queueRun,
  RunRefusedError,
  resumeRunById,
  runClaimed,
  runOperation,
} from "./index.ts";

const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
afterAll(removeTempDirs);

async function setup() {
  const root = await tempDir();
  const store = await openStore({ home: await tempDir() });
  stores.push(store);
  for (const app of ["app-1", "app-2"]) {
    await mkdir(join(root, app));
    await writeFile(join(root, app, "app.conf"), `release=old-${app}\n`);
  }
  const clock = new ManualClock("2026-05-01T10:00:00Z");
  return { root, store, clock, options: { store, clock, leaseMs: 60_000 } };
}

/** Two steps per target; the second one's post-condition needs a `gate` file in the target dir. */
function gated(root: string, onFailure = "pause") {
  return parseOperation(
    `opsdojo: operation/v1
name: gated
targets:
  - { name: app-1, vars: { dir: "${root}/app-1" } }
  - { name: app-2, vars: { dir: "${root}/app-2" } }
strategy: { batch_size: 1, on_failure: ${onFailure} }
steps:
  - name: write-config
    uses: file.write
    with: { path: "\${target.dir}/app.conf", content: "release=new\\n" }
  - name: marker
    uses: file.write
    with: { path: "\${target.dir}/marker", content: "\${run.id}" }
    post:
      - file: { path: "\${target.dir}/gate" }
`,
    "gated.yaml",
  );
}

function started(events: readonly JournalEvent[], target: string): string[] {
  return events
    .filter((e) => e.type === "step.started" && e.data.target === target)
    .map((e) => String(e.data.step));
}

describe("resumeRunById", () => {
  it("continues a paused run where it stopped: done steps are not run again, a failed post-condition is checked again", async () => {
    const { root, store, clock, options } = await setup();
    await writeFile(join(root, "app-1", "gate"), "");
    const op = gated(root);
    const first = await runOperation({ operation: op, operationId: "op_1", params: {} }, options);
    expect(first.status).toBe("paused");
    expect(first.failure).toMatchObject({ target: "app-2", step: "marker" });

    await writeFile(join(root, "app-2", "gate"), "");
    const resumed = await resumeRunById(first.id, { operation: op, params: {} }, options);
    expect(resumed.status).toBe("succeeded");
    expect(await readFile(join(root, "app-2", "marker"), "utf8")).toBe(first.id);
    const events = await new Journal(store, clock).events(first.id);
    // Nothing ran twice: app-2's marker had been written; only its post-condition was checked again.
    expect(started(events, "app-1")).toEqual(["write-config", "marker"]);
    expect(started(events, "app-2")).toEqual(["write-config", "marker"]);
    const checks = events.filter((e) => e.type === "check.failed");
    expect(checks).toHaveLength(1);
    expect(events.map((e) => e.type)).toContain("run.claimed");
  });

  it("restores the step that was in flight when the process died, then runs it again", async () => {
    const { root, store, clock, options } = await setup();
    await writeFile(join(root, "app-1", "gate"), "");
    await writeFile(join(root, "app-2", "gate"), "");
    await writeFile(join(root, "app-1", "marker"), "from before");
    const op = gated(root);
    // A process that wrote app-1's config, began its marker step, and died in the middle of it.
    const journal = new Journal(store, clock);
    const runId = await journal.startRun({
      operationId: "op_1",
      operationName: "gated",
      params: {},
      owner: "gone-host:1",
      leaseMs: 1000,
    });
    const write = defaultProviders().get("file.write");
    if (!write) throw new Error("file.write is missing");
    const context = { runId, blobs: store.blobs, signal: new AbortController().signal };
    const conf = { path: join(root, "app-1", "app.conf"), content: "release=new\n" };
    const confState = await write.capture(conf, context);
    await journal.intend(
      { runId, target: "app-1", stepIndex: 0 },
      { name: "write-config", action: "file.write", input: conf, preState: confState },
    );
    await write.act(conf, confState, context);
    await journal.finish({ runId, target: "app-1", stepIndex: 0 }, {});
    const marker = { path: join(root, "app-1", "marker"), content: "half-written" };
    const markerState = await write.capture(marker, context);
    await journal.intend(
      { runId, target: "app-1", stepIndex: 1 },
      { name: "marker", action: "file.write", input: marker, preState: markerState },
    );
    await write.act(marker, markerState, context);
    clock.advance(5000);
    expect(await journal.markInterrupted()).toEqual([runId]);

    const resumed = await resumeRunById(runId, { operation: op, params: {} }, options);
    expect(resumed.status).toBe("succeeded");
    expect(await readFile(join(root, "app-1", "marker"), "utf8")).toBe(runId);
    expect(await readFile(join(root, "app-2", "app.conf"), "utf8")).toBe("release=new\n");
    const events = await journal.events(runId);
    expect(started(events, "app-1")).toEqual(["write-config", "marker", "marker"]);

    // Undo after the resume still restores what was there before the first, dead attempt.
    const { undoRunById } = await import("./index.ts");
    const undone = await undoRunById(runId, { operation: op, params: {} }, options);
    expect(undone.status).toBe("rolled_back");
    expect(await readFile(join(root, "app-1", "marker"), "utf8")).toBe("from before");
    expect(await readFile(join(root, "app-1", "app.conf"), "utf8")).toBe("release=old-app-1\n");
  });

  it("refuses to resume a run that is finished or was rolling back", async () => {
    const { root, options } = await setup();
    await writeFile(join(root, "app-1", "gate"), "");
    await writeFile(join(root, "app-2", "gate"), "");
    const op = gated(root);
    const done = await runOperation({ operation: op, operationId: "op_1", params: {} }, options);
    expect(done.status).toBe("succeeded");
    await expect(resumeRunById(done.id, { operation: op, params: {} }, options)).rejects.toThrow(
      /is succeeded; only a paused or interrupted run can be resumed/,
    );
  });
});

describe("queued runs", () => {
  it("are claimed by exactly one of several claimers, then run", async () => {
    const { root, store, clock, options } = await setup();
    await writeFile(join(root, "app-1", "gate"), "");
    await writeFile(join(root, "app-2", "gate"), "");
    const op = gated(root);
    const runId = await queueRun(
      { operation: op, operationId: "op_1", operationName: "gated", params: {} },
      options,
    );
    const journal = new Journal(store, clock);
    expect(await journal.status(runId)).toBe("queued");
    const claims = await Promise.all(
      ["node-a", "node-b", "node-c"].map((owner) => journal.claimQueued(owner, 60_000)),
    );
    expect(claims.filter((c) => c === runId)).toHaveLength(1);
    expect(claims.filter((c) => c === undefined)).toHaveLength(2);
    const owner = ["node-a", "node-b", "node-c"][claims.indexOf(runId)];
    const result = await runClaimed(
      runId,
      { operation: op, params: {} },
      { ...options, ...(owner ? { owner } : {}) },
    );
    expect(result.status).toBe("succeeded");
    expect(await readFile(join(root, "app-2", "marker"), "utf8")).toBe(runId);
  });

  it("end refused, changing nothing, when the steady state fails before they start", async () => {
    const { root, store, clock, options } = await setup();
    const op = parseOperation(
      `opsdojo: operation/v1
name: needs-gate
targets: [{ name: app-1 }]
steady_state:
  - file: { path: "${root}/app-1/gate" }
steps:
  - name: write
    uses: file.write
    with: { path: "${root}/app-1/app.conf", content: "changed" }
`,
      "needs-gate.yaml",
    );
    const runId = await queueRun(
      { operation: op, operationId: "op_1", operationName: "needs-gate", params: {} },
      options,
    );
    expect(await new Journal(store, clock).claimQueued("node-a", 60_000)).toBe(runId);
    const result = await runClaimed(runId, { operation: op, params: {} }, { ...options, owner: "node-a" });
    expect(result.status).toBe("refused");
    expect(result.failure).toMatchObject({
      kind: "check",
      phase: "steady_state_before",
      step: "steady_state",
    });
    expect(result.failure?.message).toMatch(/steady state fails before the run/);
    expect(await readFile(join(root, "app-1", "app.conf"), "utf8")).toBe("release=old-app-1\n");
    await expect(resumeRunById(runId, { operation: op, params: {} }, options)).rejects.toBeInstanceOf(
      RunRefusedError,
    );
  });
});

describe("onEvent", () => {
  it("hears every committed event once, in sequence order", async () => {
    const { root, store, clock, options } = await setup();
    await writeFile(join(root, "app-1", "gate"), "");
    await writeFile(join(root, "app-2", "gate"), "");
    const heard: JournalEvent[] = [];
    const result = await runOperation(
      { operation: gated(root), operationId: "op_1", params: {} },
      { ...options, onEvent: (_runId, event) => heard.push(event) },
    );
    const stored = await new Journal(store, clock).events(result.id);
    expect(heard.map((e) => e.seq)).toEqual(stored.map((e) => e.seq));
    expect(heard).toEqual(stored);
  });
});
