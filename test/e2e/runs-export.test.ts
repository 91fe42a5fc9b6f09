import { access, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/core/index.ts";
import { CSV_COLUMNS } from "../../src/operations/export/index.ts";
import { Journal } from "../../src/operations/journal/index.ts";
import { openStore } from "../../src/store/index.ts";
import { parseCsv } from "../support/csv-reader.ts";
import { opsdojo } from "../support/opsdojo-process.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";
import { readXes } from "../support/xml-reader.ts";

afterAll(removeTempDirs);

/** A home with one rolled-back run: app-2 fails the check after `verify`, both targets are undone. */
async function homeWithRun(): Promise<{ home: string; runId: string }> {
  const home = await tempDir();
  for (const app of ["app-1", "app-2"]) {
    await mkdir(join(home, app));
    await writeFile(join(home, app, "app.conf"), `release=old-${app}\n`);
  }
  const file = join(home, "roll.yaml");
  await writeFile(
    file,
    `opsdojo: operation/v1
name: roll
params:
  release: { type: string, required: true }
strategy: { batch_size: 2 }
targets:
  - { name: app-1, vars: { dir: "${home}/app-1" } }
  - { name: app-2, vars: { dir: "${home}/app-2" } }
steps:
  - name: write
    uses: file.write
    with: { path: "\${target.dir}/app.conf", content: "release=\${params.release}\\n" }
  - name: verify
    uses: noop
    post:
      - command: { run: "test \${target.name} != app-2" }
`,
  );
  const run = await opsdojo(home, ["run", file, "--param", "release=2.0", "--json"]);
  expect(run.code, run.stderr).toBe(1);
  return { home, runId: (JSON.parse(run.stdout) as { id: string }).id };
}

describe("opsdojo runs export", () => {
  let home: string;
  let runId: string;
  beforeAll(async () => {
    ({ home, runId } = await homeWithRun());
  });

  it("streams XES to stdout: a trace per target with the steps, the failed check and the undos", async () => {
    const result = await opsdojo(home, ["runs", "export", "--format", "xes"]);
    expect(result.code, result.stderr).toBe(0);
    const log = readXes(result.stdout);
    const app2 = log.traces.find((t) => t.attributes.target?.value === "app-2");
    expect(log.traces.map((t) => t.attributes["concept:name"]?.value).sort()).toEqual([
      `${runId}/app-1`,
      `${runId}/app-2`,
    ]);
    expect(app2?.attributes.status?.value).toBe("rolled_back");
    expect(app2?.attributes.operation?.value).toBe("roll");
    expect(
      app2?.events.map((e) => `${e["concept:name"]?.value}/${e["lifecycle:transition"]?.value}`),
    ).toEqual([
      "write/start",
      "write/complete",
      "verify/start",
      "verify/complete",
      "verify (post-check failed)/complete",
      "verify (undo)/start",
      "verify (undo)/complete",
      "write (undo)/start",
      "write (undo)/complete",
    ]);
  });

  it("writes CSV to --out and says what it wrote (--json)", async () => {
    const out = join(home, "runs.csv");
    const result = await opsdojo(home, ["runs", "export", "--out", out, "--json"]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ format: "csv", runs: 1, traces: 2, events: 17, out });
    const [header, ...rows] = parseCsv(await readFile(out, "utf8"));
    expect(header).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(17);
    const check = rows.find((r) => r[9] === "check.failed");
    expect(check?.slice(0, 3)).toEqual([`${runId}/app-2`, "verify (post-check failed)", "complete"]);
    expect(check?.[11]).toContain('"test app-2 != app-2"');

    const text = await opsdojo(home, ["runs", "export", "--format", "csv", "--out", join(home, "again.csv")]);
    expect(text.stdout).toBe(
      `exported 2 cases with 17 events from 1 run as CSV to ${join(home, "again.csv")}\n`,
    );
  });

  it("filters by status: none succeeded, so the CSV is its header alone, and stderr says so (exit 1)", async () => {
    const result = await opsdojo(home, ["runs", "export", "--status", "succeeded", "--format", "csv"]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toBe(`${CSV_COLUMNS.join(",")}\r\n`);
    expect(result.stderr).toBe("warning: the log is empty: no run with steps matched --status succeeded\n");
  });

  it("filters by operation: another one's log is empty and still valid XES, and stderr names the operations there are (exit 1)", async () => {
    const result = await opsdojo(home, [
      "runs",
      "export",
      "--operation",
      "other",
      "--format",
      "xes",
      "--out",
      "-",
    ]);
    expect(result.code, result.stderr).toBe(1);
    expect(readXes(result.stdout).traces).toEqual([]);
    expect(result.stderr).toBe(
      "warning: the log is empty: no run with steps matched --operation other; runs exist of roll (--operation takes the name: in the file, not the file's name)\n",
    );
  });

  it("refuses an unknown format (exit 3, nothing on stdout)", async () => {
    const result = await opsdojo(home, ["runs", "export", "--format", "json"]);
    expect([result.code, result.stdout]).toEqual([3, ""]);
    expect(result.stderr).toContain('unknown export format "json"; choose xes or csv');
  });

  it("refuses a status no run can have (exit 3)", async () => {
    const result = await opsdojo(home, ["runs", "export", "--format", "csv", "--status", "done"]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('no run can have status "done"; statuses are');
  });

  it("asks for a format it cannot infer (exit 64)", async () => {
    const result = await opsdojo(home, ["runs", "export"]);
    expect(result.code).toBe(64);
    expect(result.stderr).toContain("pass --format xes or --format csv");
  });

  it("says where it cannot write (exit 3)", async () => {
    const result = await opsdojo(home, ["runs", "export", "--out", join(home, "no-such-dir", "runs.xes")]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`cannot write the event log to ${join(home, "no-such-dir", "runs.xes")}`);
  });

  it("removes a file it could not finish and says which journal event it could not read (exit 1)", async () => {
    const broken = await tempDir();
    const store = await openStore({ home: broken });
    try {
      const journal = new Journal(store, systemClock);
      const id = await journal.startRun({
        operationId: "op_1",
        operationName: "broken",
        params: {},
        owner: "test",
        leaseMs: 60_000,
      });
      const key = { runId: id, target: "local", stepIndex: 0 };
      await journal.intend(key, { name: "a", action: "noop", input: {}, preState: null });
      await journal.finish(key, null);
      await journal.setStatus(id, "succeeded");
      await store.db
        .updateTable("run_events")
        .set({ at: "later" })
        .where("type", "=", "step.succeeded")
        .execute();
    } finally {
      await store.close();
    }
    const out = join(broken, "runs.xes");
    const result = await opsdojo(broken, ["runs", "export", "--out", out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('event 3: "later" is not a timestamp');
    await expect(access(out)).rejects.toThrow(/ENOENT/);
  });

  it("explains itself with --help", async () => {
    const help = await opsdojo(home, ["runs", "export", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatchInlineSnapshot(`
      "Usage: opsdojo runs export [options]

      every run's journal as an event log for process mining (XES or CSV)

      Options:
        --format <format>   xes (IEEE 1849) or csv (RFC 4180); default from the --out extension
        --operation <name>  only runs of this operation
        --status <status>   only runs with this status now (succeeded, rolled_back, …)
        --out <file>        write the log to FILE instead of stdout (- is stdout)
        --json              print machine-readable JSON
        -h, --help          show help

      One case per run and target (\`<run id>/<target>\`), one activity per step; undo steps are
      the activity "<step> (undo)". Lifecycle: start, complete, ate_abort. See docs/operations.md.

      Examples:
        opsdojo runs export --format xes --out runs.xes
        opsdojo runs export --operation roll-app-config --status rolled_back --format csv > rollbacks.csv

      --operation takes the name: inside the file (examples/operations/roll-config.yaml is roll-app-config).
      When no run matches a filter the log is still written, empty; stderr says so and the exit code is 1.

      "
    `);
  });
});
