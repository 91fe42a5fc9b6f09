import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { readEventLog } from "../../mining/index.ts";
import { type CaseTrace, csvWriter, xesWriter } from "./index.ts";

afterAll(removeTempDirs);

/** Two cases as `opsdojo runs export` writes them: a step that completed, and one undone. */
const TRACES: CaseTrace[] = [
  {
    caseId: "run_1/app-1",
    runId: "run_1",
    target: "app-1",
    operation: "roll-config",
    status: "succeeded",
    events: [
      {
        activity: "write-config",
        lifecycle: "start",
        timestamp: "2026-05-01T10:00:00.000Z",
        action: "file.write",
        journalEvent: "step.started",
        seq: 1,
        message: null,
      },
      {
        activity: "write-config",
        lifecycle: "complete",
        timestamp: "2026-05-01T10:00:01.000Z",
        action: "file.write",
        journalEvent: "step.succeeded",
        seq: 2,
        message: null,
      },
    ],
  },
  {
    caseId: "run_2/app-1",
    runId: "run_2",
    target: "app-1",
    operation: "roll-config",
    status: "rolled_back",
    events: [
      {
        activity: "write-config",
        lifecycle: "complete",
        timestamp: "2026-05-01T11:00:00.000Z",
        action: "file.write",
        journalEvent: "step.succeeded",
        seq: 1,
        message: null,
      },
      {
        activity: "write-config (undo)",
        lifecycle: "complete",
        timestamp: "2026-05-01T11:00:02.000Z",
        action: "file.write",
        journalEvent: "step.undone",
        seq: 2,
        message: "restored <old> & kept",
      },
    ],
  },
];

describe("reading opsdojo's own run export", () => {
  for (const writer of [xesWriter, csvWriter]) {
    it(`reads the ${writer.format.toUpperCase()} that runs export writes: cases, activities, lifecycles, times`, async () => {
      const dir = await tempDir();
      const file = join(dir, `runs.${writer.format}`);
      await writeFile(file, writer.header() + TRACES.map((t) => writer.trace(t)).join("") + writer.footer());
      const log = await readEventLog(file);
      expect(
        log.cases.map((c) => [
          c.id,
          c.events.map((e) => `${e.activity}/${e.lifecycle}@${new Date(e.timestamp ?? 0).toISOString()}`),
        ]),
      ).toEqual([
        [
          "run_1/app-1",
          ["write-config/start@2026-05-01T10:00:00.000Z", "write-config/complete@2026-05-01T10:00:01.000Z"],
        ],
        [
          "run_2/app-1",
          [
            "write-config/complete@2026-05-01T11:00:00.000Z",
            "write-config (undo)/complete@2026-05-01T11:00:02.000Z",
          ],
        ],
      ]);
      expect(log.cases[1]?.events[1]?.attributes.message).toBe("restored <old> & kept");
    });
  }
});
