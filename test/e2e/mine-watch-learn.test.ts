import { spawn } from "node:child_process";
import { appendFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CASE, FORMAT_TEXT, render, rollingUpgrade } from "../../src/mining/watch/rolling-upgrade-log.ts";
import { BIN, cleanEnv, opsdojo } from "../support/opsdojo-process.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";
import { until } from "../support/until.ts";

afterAll(removeTempDirs);

const SLOW = { timeout: 300_000 };

/** `mine watch FILE`, learning on its first `learn` lines, cases by instance id. */
function watchArgs(file: string, learn: number): string[] {
  return ["mine", "watch", file, "--learn", `first:${learn}`, "--case", CASE, "--log-format", FORMAT_TEXT];
}

describe("opsdojo mine watch --learn", () => {
  it(
    "learns on the first lines of a raw log and flags the instance that skipped its health check",
    SLOW,
    async () => {
      const dir = await tempDir();
      const skipper = 210;
      const log = rollingUpgrade(230, { [skipper]: (step) => step !== 4 });
      const file = join(dir, "upgrade.log");
      await writeFile(file, `${log.map(render).join("\n")}\n`);
      const learn = 1200;
      const args = watchArgs(file, learn);
      const attach = log.findIndex((l) => l.id === "i-10d2" && l.step === 5) + 1;

      const text = await opsdojo(dir, args);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stderr).toContain(`learned on lines 1-${learn}:`);
      expect(text.stderr).toContain("6 activities");
      const lines = text.stdout.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        new RegExp(
          `^\\S+Z line ${attach} case i-10d2: missing "instance i-<\\*> attached.*" — expected "health check passed`,
        ),
      );

      const json = await opsdojo(dir, [...args, "--json"]);
      expect(json.code, json.stderr).toBe(0);
      const parsed = json.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      expect(parsed).toHaveLength(1);
      expect(parsed[0]).toMatchObject({ case: "i-10d2", kind: "missing", line: attach });
      expect(parsed[0].at).toBe(new Date(log[attach - 1]?.at as number).toISOString());
    },
  );

  it(
    "learned on too few instances, calls the skip a note: counted, and printed with --notes",
    SLOW,
    async () => {
      const dir = await tempDir();
      const log = rollingUpgrade(60, { 50: (step) => step !== 4 });
      const file = join(dir, "upgrade.log");
      await writeFile(file, `${log.map(render).join("\n")}\n`);
      const learn = log.findIndex((l) => l.id === "i-101e"); // 30 instances in
      const args = watchArgs(file, learn);
      const quiet = await opsdojo(dir, args);
      expect(quiet.code, quiet.stderr).toBe(0);
      expect(quiet.stdout).toBe("");
      expect(quiet.stderr).toContain("0 alarms, 1 note (--notes shows them)");
      expect(quiet.stderr).toMatch(/alarm budget 1 %: in \d+ of \d+ places/);

      const notes = await opsdojo(dir, [...args, "--notes"]);
      expect(notes.stdout).toMatch(
        /^\S+Z line \d+ case i-1032: note \(never seen there in learning, where the learned chance of something new is \d+(\.\d+)? %\): missing "instance i-<\*> attached/,
      );
      const json = await opsdojo(dir, [...args, "--notes", "--json"]);
      const parsed = JSON.parse(json.stdout.trim());
      expect(parsed).toMatchObject({ case: "i-1032", kind: "missing", severity: "note" });
      expect(parsed.novelty).toBeGreaterThan(0.01);

      // A budget above that chance makes it an alarm, printed without --notes.
      const lenient = await opsdojo(dir, [...args, "--alarm-budget", "10%", "--json"]);
      expect(JSON.parse(lenient.stdout.trim())).toMatchObject({ case: "i-1032", severity: "alarm" });
    },
  );

  it("says what is wrong with a bad --learn or a missing --case", SLOW, async () => {
    const dir = await tempDir();
    const file = join(dir, "a.log");
    await writeFile(file, "2026-03-01 10:00:00,000 INFO [x] hello\n");
    const bad = await opsdojo(dir, ["mine", "watch", file, "--learn", "10000", "--case", "x"]);
    expect(bad.code).toBe(64);
    expect(bad.stderr).toContain("--learn is first:N");
    const noCase = await opsdojo(dir, ["mine", "watch", file, "--learn", "first:10"]);
    expect(noCase.code).toBe(64);
    expect(noCase.stderr).toContain("--learn needs --case");
    const both = await opsdojo(dir, [
      "mine",
      "watch",
      file,
      "--learn",
      "first:10",
      "--case",
      "x",
      "--model",
      "m.json",
    ]);
    expect(both.code).toBe(64);
    expect(both.stderr).toContain("exclude each other");
    const budget = await opsdojo(dir, [
      "mine",
      "watch",
      file,
      "--learn",
      "first:10",
      "--case",
      "x",
      "--alarm-budget",
      "1",
    ]);
    expect(budget.code).toBe(64);
    expect(budget.stderr).toContain(
      '--alarm-budget is a share of cases from 0 to 100 %, as a percentage (1%) or a fraction below 1 (0.01), not "1" (write 1% for a percentage)',
    );
    expect(budget.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const noLearn = await opsdojo(dir, ["mine", "watch", file, "--model", "m.json", "--alarm-budget", "1%"]);
    expect(noLearn.code).toBe(64);
    expect(noLearn.stderr).toContain("--alarm-budget and --notes need --learn");
  });

  it(
    "with --follow, learns on the lines there are and flags the skip in lines appended later",
    SLOW,
    async () => {
      const dir = await tempDir();
      const log = rollingUpgrade(230, { 210: (step) => step !== 4 }).map(render);
      const file = join(dir, "upgrade.log");
      const learn = 1200;
      await writeFile(file, `${log.slice(0, learn).join("\n")}\n`);
      const args = watchArgs(file, learn);
      const child = spawn(process.execPath, [BIN, ...args, "--follow", "--json"], { env: cleanEnv(dir) });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => {
        stdout += d.toString();
      });
      child.stderr.on("data", (d: Buffer) => {
        stderr += d.toString();
      });
      const exited = new Promise<number | null>((resolve) => child.once("close", resolve));
      try {
        await until(() => stderr.includes(`learned on lines 1-${learn}`), "the learning summary");
        await appendFile(file, `${log.slice(learn).join("\n")}\n`);
        // Only the skip is asserted: with --follow, log time also moves with the wall clock, so a
        // very slow machine may add stalls of cases open across the pause.
        const skip = await until(
          () =>
            stdout
              .split("\n")
              .filter((l) => l.startsWith("{"))
              .map((l) => JSON.parse(l) as { case: string; kind: string })
              .find((d) => d.case === "i-10d2"),
          "the deviation of i-10d2",
        );
        expect(skip.kind).toBe("missing");
      } finally {
        child.kill("SIGINT");
      }
      expect(await exited).toBe(0);
    },
  );
});
