import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { readCsv } from "./csv-reader.ts";
import { EventLogFormatError } from "./errors.ts";
import { countEvents } from "./model.ts";
import { sharedEventLog } from "./test-data.ts";

afterAll(removeTempDirs);

describe("readCsv", () => {
  it("detects case:concept:name, concept:name and time:timestamp and skips the unnamed index column", async () => {
    const log = await readCsv(sharedEventLog("running-example.csv"));
    expect(log.cases.map((c) => c.id)).toEqual(["3", "2", "1", "6", "5", "4"]);
    expect(countEvents(log)).toBe(42);
    expect(log.cases[0]?.attributes).toEqual({ creator: "Fluxicon Nitro" });
    expect(Object.keys(log.cases[0]?.events[0]?.attributes ?? {})).toEqual([
      "org:resource",
      "Activity",
      "Resource",
      "Costs",
    ]);
  });

  it("detects common names, semicolons and quotes, and orders each case by time", async () => {
    const dir = await tempDir();
    const file = join(dir, "orders.csv");
    await writeFile(
      file,
      [
        "Case ID;Activity;Timestamp;note",
        'o1;"pack; ship";2024-01-01 10:05:00;"said ""hi""\nand left"',
        "o1;receive;2024-01-01 10:00:00;",
        "o2;receive;2024-01-02T09:00:00+01:00;x",
        "",
      ].join("\r\n"),
    );
    const log = await readCsv(file);
    expect(log.cases.map((c) => [c.id, c.events.map((e) => e.activity)])).toEqual([
      ["o1", ["receive", "pack; ship"]],
      ["o2", ["receive"]],
    ]);
    expect(log.cases[0]?.events[1]?.attributes).toEqual({ note: 'said "hi"\nand left' });
    expect(log.cases[0]?.events[0]?.timestamp).toBe(Date.parse("2024-01-01T10:00:00Z"));
    expect(log.cases[1]?.events[0]?.timestamp).toBe(Date.parse("2024-01-02T08:00:00Z"));
  });

  it("uses the columns it is given, and names the columns it cannot find", async () => {
    const dir = await tempDir();
    const file = join(dir, "runs.csv");
    await writeFile(file, "run,step,at\nr1,plan,1700000000\nr1,apply,1700000060\n");
    const log = await readCsv(file, { case: "run", activity: "step", timestamp: "at" });
    expect(log.cases[0]?.events.map((e) => [e.activity, e.timestamp])).toEqual([
      ["plan", 1_700_000_000_000],
      ["apply", 1_700_000_060_000],
    ]);
    const error = await readCsv(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventLogFormatError);
    expect((error as Error).message).toBe(
      `${file}:1: no case id column found among "run", "step", "at"; name it with --case COLUMN`,
    );
  });

  it("refuses an unreadable timestamp with its line", async () => {
    const dir = await tempDir();
    const file = join(dir, "bad.csv");
    await writeFile(file, "case,activity,timestamp\n1,a,2024-01-01\n1,b,yesterday\n");
    await expect(readCsv(file)).rejects.toThrow(
      `${file}:3: "yesterday" in column "timestamp" is not a timestamp`,
    );
  });
});
