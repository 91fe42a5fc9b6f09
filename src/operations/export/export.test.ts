import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { parseCsv } from "../../../test/support/csv-reader.ts";
import { freshPostgresUrl } from "../../../test/support/fresh-postgres.ts";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { readXes, type XesTrace } from "../../../test/support/xml-reader.ts";
import type { Clock } from "../../core/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { runOperation } from "../engine/index.ts";
import { Journal } from "../journal/index.ts";
import { parseOperation } from "../loader/index.ts";
import {
  CSV_COLUMNS,
  checkRunStatus,
  ExportFilterError,
  type ExportFormat,
  ExportFormatError,
  exportRuns,
  JournalDataError,
  parseExportFormat,
  type RunFilter,
} from "./index.ts";

const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
afterAll(removeTempDirs);

/** Every reading is a millisecond after the last, so each journal event has its own time. */
class TickingClock implements Clock {
  #ms = Date.parse("2026-05-01T10:00:00.000Z");
  now(): Date {
    return new Date(this.#ms++);
  }
}

async function exportText(store: Store, format: ExportFormat, filter: RunFilter = {}) {
  const chunks: string[] = [];
  const summary = await exportRuns(store, { format, filter }, async (chunk) => {
    chunks.push(chunk);
  });
  return { text: chunks.join(""), chunks, summary };
}

/** Two app targets in one batch; app-2 fails the health post-check, so everything is rolled back. */
async function rollConfig(root: string) {
  for (const app of ["app-1", "app-2"]) {
    await mkdir(join(root, app));
    await writeFile(join(root, app, "app.conf"), `release=old-${app}\n`);
  }
  return parseOperation(
    `opsdojo: operation/v1
name: roll-config
params:
  release: { type: string, required: true }
targets:
  - { name: app-1, vars: { dir: "${root}/app-1" } }
  - { name: app-2, vars: { dir: "${root}/app-2" } }
strategy: { batch_size: 2 }
steps:
  - name: write-config
    uses: file.write
    with: { path: "\${target.dir}/app.conf", content: "release=\${params.release}\\n" }
  - name: health
    uses: noop
    post:
      - command: { run: "test \${target.name} != app-2" }
`,
    "roll.yaml",
  );
}

/** One step that fails twice (one retry) and has no undo: the rollback is incomplete. */
const probe = parseOperation(
  `opsdojo: operation/v1
name: probe
steps:
  - name: probe
    uses: shell.run
    with: { command: "echo unreachable >&2; exit 3" }
    retries: { count: 1 }
`,
  "probe.yaml",
);

async function runBoth(store: Store) {
  const root = await tempDir();
  const options = { store, clock: new TickingClock(), leaseMs: 60_000 };
  const roll = await runOperation(
    { operation: await rollConfig(root), operationId: "op_roll", params: { release: "2.0" } },
    options,
  );
  const failed = await runOperation({ operation: probe, operationId: "op_probe", params: {} }, options);
  expect([roll.status, failed.status]).toEqual(["rolled_back", "rollback_incomplete"]);
  return { roll: roll.id, probe: failed.id, journal: new Journal(store, options.clock) };
}

const steps = (trace: XesTrace | undefined) =>
  (trace?.events ?? []).map((e) => `${e["concept:name"]?.value} ${e["lifecycle:transition"]?.value}`);

describe.each([
  ["SQLite", async () => openStore({ home: await tempDir() })],
  ["PostgreSQL", async () => openStore({ databaseUrl: await freshPostgresUrl() })],
])("runs export on %s", (_name, open) => {
  it("writes valid XES: one trace per run and target, steps and undos as start/complete/ate_abort in journal order", async () => {
    const store = await open();
    stores.push(store);
    const { roll, probe: probeRun, journal } = await runBoth(store);
    const { text, summary } = await exportText(store, "xes");
    const log = readXes(text);

    expect(log.version).toBe("1849.2016");
    expect(log.extensions.map((e) => [e.prefix, e.uri])).toEqual([
      ["concept", "http://www.xes-standard.org/concept.xesext"],
      ["time", "http://www.xes-standard.org/time.xesext"],
      ["lifecycle", "http://www.xes-standard.org/lifecycle.xesext"],
    ]);
    expect(Object.keys(log.globals.trace ?? {})).toEqual([
      "concept:name",
      "run_id",
      "target",
      "operation",
      "status",
    ]);
    expect(Object.keys(log.globals.event ?? {})).toEqual([
      "concept:name",
      "lifecycle:transition",
      "time:timestamp",
      "action",
      "journal_event",
      "seq",
    ]);
    expect(log.attributes["lifecycle:model"]?.value).toBe("standard");
    expect(summary).toEqual({ format: "xes", runs: 2, traces: 3, events: 22 });

    // Runs oldest first; within a run, cases in the order they began.
    const cases = log.traces.map((t) => t.attributes["concept:name"]?.value);
    expect(cases.slice(0, 2).sort()).toEqual([`${roll}/app-1`, `${roll}/app-2`]);
    expect(cases[2]).toBe(`${probeRun}/local`);

    const byCase = (id: string) => log.traces.find((t) => t.attributes["concept:name"]?.value === id);
    const app2 = byCase(`${roll}/app-2`);
    expect(app2?.attributes).toEqual({
      "concept:name": { type: "string", value: `${roll}/app-2` },
      run_id: { type: "string", value: roll },
      target: { type: "string", value: "app-2" },
      operation: { type: "string", value: "roll-config" },
      status: { type: "string", value: "rolled_back" },
    });
    expect(steps(byCase(`${roll}/app-1`))).toEqual([
      "write-config start",
      "write-config complete",
      "health start",
      "health complete",
      "health (undo) start",
      "health (undo) complete",
      "write-config (undo) start",
      "write-config (undo) complete",
    ]);
    expect(steps(app2)).toEqual([
      "write-config start",
      "write-config complete",
      "health start",
      "health complete",
      "health (post-check failed) complete",
      "health (undo) start",
      "health (undo) complete",
      "write-config (undo) start",
      "write-config (undo) complete",
    ]);
    const failedCheck = app2?.events[4];
    expect(failedCheck?.journal_event?.value).toBe("check.failed");
    expect(failedCheck?.message?.value).toMatch(/^post-condition .*expected/);

    const local = byCase(`${probeRun}/local`);
    expect(steps(local)).toEqual([
      "probe start",
      "probe (retry) complete",
      "probe ate_abort",
      "probe (undo) start",
      "probe (undo) ate_abort",
    ]);
    expect(local?.attributes.status?.value).toBe("rollback_incomplete");
    expect(local?.events.map((e) => e.journal_event?.value)).toEqual([
      "step.started",
      "step.retrying",
      "step.failed",
      "step.undo_started",
      "step.undo_failed",
    ]);
    expect(local?.events[1]?.message?.value).toContain("attempt 1 failed");
    expect(local?.events[2]?.message?.value).toContain("unreachable");
    expect(local?.events[4]?.message?.value).toContain("no automatic undo");
    expect(local?.events.every((e) => e.action?.value === "shell.run")).toBe(true);

    // Timestamps and sequence numbers are the journal's own.
    const journalled = new Map((await journal.events(probeRun)).map((e) => [e.seq, e.at]));
    for (const e of local?.events ?? []) {
      expect(e["time:timestamp"]).toEqual({ type: "date", value: journalled.get(Number(e.seq?.value)) });
    }
    const seqs = app2?.events.map((e) => Number(e.seq?.value)) ?? [];
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it("writes the same events as RFC 4180 CSV, and filters runs by operation and status", async () => {
    const store = await open();
    stores.push(store);
    const { roll, probe: probeRun } = await runBoth(store);
    const xes = readXes((await exportText(store, "xes")).text);
    const { text, summary } = await exportText(store, "csv");
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([...CSV_COLUMNS]);
    expect(summary.events).toBe(rows.length);
    const fromXes = xes.traces.flatMap((t) =>
      t.events.map((e) => [
        t.attributes["concept:name"]?.value,
        e["concept:name"]?.value,
        e["lifecycle:transition"]?.value,
        e["time:timestamp"]?.value,
        t.attributes.run_id?.value,
        t.attributes.target?.value,
        t.attributes.operation?.value,
        t.attributes.status?.value,
        e.action?.value,
        e.journal_event?.value,
        e.seq?.value,
        e.message?.value ?? "",
      ]),
    );
    expect(rows).toEqual(fromXes);

    const onlyProbe = parseCsv((await exportText(store, "csv", { operation: "probe" })).text);
    expect(new Set(onlyProbe.slice(1).map((r) => r[0]))).toEqual(new Set([`${probeRun}/local`]));
    const rolledBack = readXes((await exportText(store, "xes", { status: "rolled_back" })).text);
    expect(rolledBack.traces.map((t) => t.attributes.run_id?.value)).toEqual([roll, roll]);
    const none = await exportText(store, "xes", { operation: "roll-config", status: "committed" });
    expect(readXes(none.text).traces).toEqual([]);
    expect(none.summary).toEqual({ format: "xes", runs: 0, traces: 0, events: 0 });
  });
});

describe("runs export of unusual values", () => {
  const target = 'db,primary "eu"\r\nline two & <three>\u0001';
  const error = 'refused: "quota", exceeded\nsee <https://x.example/?a=1&b=2>';

  async function oddRun() {
    const store = await openStore({ home: await tempDir() });
    stores.push(store);
    const journal = new Journal(store, new TickingClock());
    const runId = await journal.startRun({
      operationId: "op_odd",
      operationName: 'odd,"operation"',
      params: {},
      owner: "test",
      leaseMs: 30_000,
    });
    const key = { runId, target, stepIndex: 0 };
    await journal.intend(key, { name: "resize", action: "shell.run", input: {}, preState: null });
    await journal.fail(key, error);
    await journal.setStatus(runId, "failed");
    return { store, runId };
  }

  it("keeps commas, quotes, line breaks and markup in CSV exactly", async () => {
    const { store, runId } = await oddRun();
    const rows = parseCsv((await exportText(store, "csv")).text).slice(1);
    expect(rows.map((r) => r.slice(0, 8))).toEqual([
      [
        `${runId}/${target}`,
        "resize",
        "start",
        expect.any(String),
        runId,
        target,
        'odd,"operation"',
        "failed",
      ],
      [
        `${runId}/${target}`,
        "resize",
        "ate_abort",
        expect.any(String),
        runId,
        target,
        'odd,"operation"',
        "failed",
      ],
    ]);
    expect(rows[1]?.[11]).toBe(error);
  });

  it("escapes them in XES so that a strict parser reads them back (control characters as U+FFFD)", async () => {
    const { store, runId } = await oddRun();
    const log = readXes((await exportText(store, "xes")).text);
    const readable = target.replace("\u0001", "\uFFFD");
    expect(log.traces).toHaveLength(1);
    expect(log.traces[0]?.attributes.target?.value).toBe(readable);
    expect(log.traces[0]?.attributes["concept:name"]?.value).toBe(`${runId}/${readable}`);
    expect(log.traces[0]?.attributes.operation?.value).toBe('odd,"operation"');
    expect(log.traces[0]?.events[1]?.message?.value).toBe(error);
  });
});

describe("exportRuns", () => {
  it("hands the log over one case at a time", async () => {
    const store = await openStore({ home: await tempDir() });
    stores.push(store);
    await runBoth(store);
    const { chunks } = await exportText(store, "xes");
    expect(chunks).toHaveLength(1 + 3 + 1);
    expect(chunks[0]).toMatch(/^<\?xml/);
    for (const chunk of chunks.slice(1, -1)) expect(chunk.match(/<trace>/g)).toHaveLength(1);
    expect(chunks.at(-1)).toBe("</log>\n");
  });

  it("refuses unknown formats and statuses with typed errors", async () => {
    expect(parseExportFormat("XES")).toBe("xes");
    expect(() => parseExportFormat("json")).toThrow(ExportFormatError);
    expect(() => parseExportFormat("json")).toThrow('unknown export format "json"; choose xes or csv');
    expect(checkRunStatus("rolled_back")).toBe("rolled_back");
    const store = await openStore({ home: await tempDir() });
    stores.push(store);
    await expect(
      exportRuns(store, { format: "csv", filter: { status: "done" } }, async () => {}),
    ).rejects.toThrow(ExportFilterError);
  });

  it("says which run and event it cannot read instead of writing a wrong timestamp", async () => {
    const store = await openStore({ home: await tempDir() });
    stores.push(store);
    const journal = new Journal(store, new TickingClock());
    const runId = await journal.startRun({
      operationId: "op_1",
      operationName: "broken",
      params: {},
      owner: "test",
      leaseMs: 30_000,
    });
    await journal.intend(
      { runId, target: "local", stepIndex: 0 },
      { name: "a", action: "noop", input: {}, preState: null },
    );
    await store.db
      .updateTable("run_events")
      .set({ at: "yesterday" })
      .where("type", "=", "step.started")
      .execute();
    const failure = exportRuns(store, { format: "xes" }, async () => {});
    await expect(failure).rejects.toThrow(JournalDataError);
    await expect(failure).rejects.toThrow(`run ${runId}, event 2: "yesterday" is not a timestamp`);
  });
});
