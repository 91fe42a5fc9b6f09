import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import type { EventLog } from "./model.ts";
import { readEventLog, writeEventLog } from "./read.ts";
import { sharedEventLog } from "./test-data.ts";
import { XmlTokenizer } from "./xml-tokenizer.ts";

afterAll(removeTempDirs);

const summary = (log: EventLog) =>
  log.cases.map((c) => ({
    id: c.id,
    attributes: c.attributes,
    events: c.events.map((e) => ({ ...e })),
  }));

describe("writing and reading back", () => {
  it("XES → XES keeps cases, activities, timestamps, lifecycles and typed attributes", async () => {
    const original = await readEventLog(sharedEventLog("roadtraffic-100-traces.xes"));
    const dir = await tempDir();
    const file = join(dir, "copy.xes.gz");
    await writeEventLog(original, file);
    const again = await readEventLog(file);
    expect(summary(again)).toEqual(summary(original));
    expect(again.attributeTypes.event).toEqual(original.attributeTypes.event);
  });

  it("writes XES in the IEEE 1849 form: declared extensions, globals, a classifier, well-formed", async () => {
    const original = await readEventLog(sharedEventLog("running-example.xes.gz"));
    const dir = await tempDir();
    const file = join(dir, "copy.xes");
    await writeEventLog(original, file);
    const text = await readFile(file, "utf8");
    const tags = new Set<string>();
    const t = new XmlTokenizer((tok) => {
      if (tok.kind === "open")
        tags.add(tok.name === "extension" ? `extension:${tok.attrs.prefix}` : tok.name);
    });
    t.push(Buffer.from(text));
    t.end();
    expect([...tags].sort()).toEqual(
      [
        "classifier",
        "date",
        "event",
        "extension:concept",
        "extension:org",
        "extension:time",
        "global",
        "log",
        "string",
        "trace",
      ].sort(),
    );
    expect(text).toContain('<log xes.version="1849.2016"');
    expect(text).toContain('<date key="time:timestamp" value="2010-12-30T13:32:00.000Z"/>');
  });

  it("XES → CSV → log keeps the cases, activities and timestamps", async () => {
    const original = await readEventLog(sharedEventLog("repair-example.xes.gz"));
    const dir = await tempDir();
    const file = join(dir, "repair.csv");
    await writeEventLog(original, file);
    const again = await readEventLog(file);
    const shape = (log: EventLog) =>
      log.cases.map((c) => [
        c.id,
        c.events.map((e) => `${e.activity}/${e.lifecycle}/${e.timestamp}`).join(" "),
      ]);
    expect(shape(again)).toEqual(shape(original));
  });
});
