import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { opsdojo } from "../support/opsdojo-process.ts";
import { sharedData } from "../support/shared-data.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";

afterAll(removeTempDirs);

/** Each test runs the binary several times; on a busy machine a run may take seconds. */
const SLOW = { timeout: 300_000 };

const RUNNING = sharedData("eventlogs", "running-example.xes.gz");

/** A CSV event log: one case per entry, events an hour apart. */
function csv(cases: Record<string, string>): string {
  const rows = ["case_id,activity,timestamp"];
  for (const [id, trace] of Object.entries(cases)) {
    trace.split(" ").forEach((a, i) => {
      rows.push(`${id},${a},2024-05-01T${String(8 + i).padStart(2, "0")}:00:00Z`);
    });
  }
  return `${rows.join("\n")}\n`;
}

const TRAINING = csv({
  t1: "register check pay ship",
  t2: "register check pay ship",
  t3: "register check pay ship",
});

describe("opsdojo mine check / watch", () => {
  it("checks the running example against its own model: everything fits", SLOW, async () => {
    const dir = await tempDir();
    const model = join(dir, "model.json");
    expect((await opsdojo(dir, ["mine", "discover", RUNNING, "--out", model])).code).toBe(0);
    const text = await opsdojo(dir, ["mine", "check", RUNNING, "--model", model]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain("6 cases, 42 events, 6 variants");
    expect(text.stdout).toContain("fitness 1.0000");
    expect(text.stdout).toContain("fitting cases 6/6");
    const json = await opsdojo(dir, ["mine", "check", RUNNING, "--model", model, "--json"]);
    expect(json.code, json.stderr).toBe(0);
    const result = JSON.parse(json.stdout);
    expect(result).toMatchObject({
      method: "alignments",
      cases: 6,
      fitness: 1,
      fittingCases: 6,
      deviatingCases: 0,
    });
    expect(result.precision).toBeGreaterThan(0.5);
    expect(result.precision).toBeLessThan(1);
    expect(result.items).toHaveLength(6);
  });

  it("finds the exact deviations of each case, with a JSON model and with PNML", SLOW, async () => {
    const dir = await tempDir();
    const training = join(dir, "training.csv");
    await writeFile(training, TRAINING);
    const model = join(dir, "model.json");
    const pnml = join(dir, "model.pnml");
    expect((await opsdojo(dir, ["mine", "discover", training, "--out", model])).code).toBe(0);
    expect((await opsdojo(dir, ["mine", "discover", training, "--out", pnml])).code).toBe(0);
    const today = join(dir, "today.csv");
    await writeFile(
      today,
      csv({
        ok: "register check pay ship",
        skipped: "register pay ship",
        refund: "register check refund pay ship",
        swapped: "register pay check ship",
      }),
    );
    for (const m of [model, pnml]) {
      const run = await opsdojo(dir, ["mine", "check", today, "--model", m, "--format", "json"]);
      expect(run.code, run.stderr).toBe(0);
      const result = JSON.parse(run.stdout);
      expect(result).toMatchObject({ cases: 4, fittingCases: 1, deviatingCases: 3, failedCases: 0 });
      expect(result.deviations).toEqual({ unexpected: 1, missing: 1, "wrong-order": 1 });
      const byCase = Object.fromEntries(
        result.items.map((c: { case: string; deviations: unknown[] }) => [c.case, c.deviations]),
      );
      expect(byCase.ok).toEqual([]);
      expect(byCase.skipped).toEqual([{ kind: "missing", activity: "check", position: 1 }]);
      expect(byCase.refund).toEqual([{ kind: "unexpected", activity: "refund", position: 2 }]);
      expect(byCase.swapped).toHaveLength(1);
      expect(byCase.swapped[0].kind).toBe("wrong-order");
      // skipped: 1 deviation out of 3 events + 4 model steps
      const skipped = result.items.find((c: { case: string }) => c.case === "skipped");
      expect(skipped.fitness).toBeCloseTo(1 - 1 / 7, 6);
      expect(result.fitness).toBeCloseTo(1 - 4 / (8 + 7 + 9 + 8), 6);
    }
    const text = await opsdojo(dir, ["mine", "check", today, "--model", model]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain("deviations: 1 unexpected, 1 missing, 1 wrong order in 3 cases");
    expect(text.stdout).toContain("missing check before #2");
    expect(text.stdout).toContain("unexpected refund at #3");
    const replay = await opsdojo(dir, [
      "mine",
      "check",
      today,
      "--model",
      model,
      "--method",
      "replay",
      "--json",
    ]);
    expect(replay.code, replay.stderr).toBe(0);
    expect(JSON.parse(replay.stdout)).toMatchObject({ method: "replay", fittingCases: 1 });

    expect((await opsdojo(dir, ["mine", "check", today])).code).toBe(64);
    expect((await opsdojo(dir, ["mine", "check", today, "--model", model, "--method", "magic"])).code).toBe(
      64,
    );
    const noModel = await opsdojo(dir, ["mine", "check", today, "--model", join(dir, "nope.json")]);
    expect(noModel.code).toBe(3);
    expect(noModel.stderr).toContain("nope.json");
  });

  it(
    "watches a stream of JSON lines and prints one JSON line per deviation, on the line that shows it",
    SLOW,
    async () => {
      const dir = await tempDir();
      const training = join(dir, "training.csv");
      await writeFile(training, TRAINING);
      const model = join(dir, "model.json");
      expect((await opsdojo(dir, ["mine", "discover", training, "--out", model])).code).toBe(0);
      const events: [string, string][] = [
        ["o1", "register"],
        ["o2", "register"],
        ["o1", "check"],
        ["o2", "pay"], // 4: check skipped
        ["o3", "register"],
        ["o1", "pay"],
        ["o3", "check"],
        ["o3", "refund"], // 8: not in the model
        ["o2", "check"], // 9: the skipped check comes late
        ["o1", "ship"],
        ["o3", "pay"],
        ["o3", "ship"],
      ];
      const stream = join(dir, "events.jsonl");
      await writeFile(
        stream,
        `${events.map(([c, a]) => JSON.stringify({ case: c, activity: a })).join("\n")}\n`,
      );
      const run = await opsdojo(dir, ["mine", "watch", stream, "--model", model]);
      expect(run.code, run.stderr).toBe(0);
      const lines = run.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      expect(lines.map(({ at, ...rest }) => rest)).toEqual([
        { case: "o2", activity: "pay", kind: "missing", severity: "alarm", expected: ["check"], line: 4 },
        { case: "o3", activity: "refund", kind: "unexpected", severity: "alarm", expected: ["pay"], line: 8 },
        {
          case: "o2",
          activity: "check",
          kind: "wrong-order",
          severity: "alarm",
          expected: ["ship"],
          line: 9,
        },
      ]);
      for (const l of lines) expect(Number.isNaN(Date.parse(l.at))).toBe(false);
      expect((await opsdojo(dir, ["mine", "watch", stream])).code).toBe(64);
    },
  );

  it("documents both commands in --help", SLOW, async () => {
    const dir = await tempDir();
    const check = await opsdojo(dir, ["mine", "check", "--help"]);
    expect(check.code).toBe(0);
    expect(check.stdout).toContain("Usage: opsdojo mine check [options] <file>");
    expect(check.stdout).toContain("--method <name>");
    expect(check.stdout).toContain(
      "Exit codes: 0 checked (deviations or not), 3 unreadable log or model, 64 usage.",
    );
    const watch = await opsdojo(dir, ["mine", "watch", "--help"]);
    expect(watch.code).toBe(0);
    expect(watch.stdout).toContain("Usage: opsdojo mine watch [options] <file>");
    expect(watch.stdout).toContain("--follow");
    expect(watch.stdout).toContain('{"case", "activity", "kind", "severity", "expected", "line", "at"}');
    expect(watch.stdout).toContain("--alarm-budget <share>");
    expect(watch.stdout).toContain("--notes");
    expect(watch.stdout).toContain("severity: alarm, or (--learn only) note");
  });
});
