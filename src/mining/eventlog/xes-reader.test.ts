import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { EventLogFormatError } from "./errors.ts";
import { countEvents } from "./model.ts";
import { readEventLog } from "./read.ts";
import { sharedEventLog } from "./test-data.ts";
import { readXes, readXesStream } from "./xes-reader.ts";

afterAll(removeTempDirs);

describe("readXes", () => {
  it("reads running-example.xes.gz: 6 traces, 42 events, case ids, activities and timestamps", async () => {
    const log = await readXes(sharedEventLog("running-example.xes.gz"));
    expect(log.cases).toHaveLength(6);
    expect(countEvents(log)).toBe(42);
    const first = log.cases[0];
    expect(first?.id).toBe("3");
    expect(first?.events.map((e) => e.activity)).toEqual([
      "register request",
      "examine casually",
      "check ticket",
      "decide",
      "reinitiate request",
      "examine thoroughly",
      "check ticket",
      "decide",
      "pay compensation",
    ]);
    expect(first?.events[0]?.timestamp).toBe(Date.parse("2010-12-30T14:32:00.000+01:00"));
    expect(first?.events[0]?.attributes["org:resource"]).toBe("Pete");
    expect(log.attributeTypes.event["org:resource"]).toBe("string");
  });

  it("reads the same log from CSV and from XES", async () => {
    const xes = await readEventLog(sharedEventLog("running-example.xes.gz"));
    const csv = await readEventLog(sharedEventLog("running-example.csv"));
    const traces = (l: typeof xes) =>
      Object.fromEntries(l.cases.map((c) => [c.id, c.events.map((e) => [e.activity, e.timestamp])]));
    expect(traces(csv)).toEqual(traces(xes));
  });

  it("skips nested attributes and lists, and keeps typed values (int, float, boolean, date)", async () => {
    const dir = await tempDir();
    const file = join(dir, "typed.xes");
    await writeFile(
      file,
      `<log xes.version="1.0">
        <int key="meta" value="3"><int key="nested" value="1"/></int>
        <trace><string key="concept:name" value="c1"/>
          <list key="l"><values><string key="x" value="y"/></values></list>
          <event><string key="concept:name" value="a"/><int key="n" value="7"/><float key="f" value="1.5"/>
            <boolean key="b" value="true"/><date key="d" value="2020-01-01T00:00:00Z"/>
            <string key="lifecycle:transition" value="start"/></event>
        </trace></log>`,
    );
    const log = await readXes(file);
    expect(log.attributes).toEqual({ meta: 3 });
    expect(log.cases[0]?.attributes).toEqual({});
    expect(log.cases[0]?.events[0]).toEqual({
      activity: "a",
      timestamp: null,
      lifecycle: "start",
      attributes: { n: 7, f: 1.5, b: true, d: Date.parse("2020-01-01T00:00:00Z") },
    });
    expect(log.attributeTypes.event).toEqual({ n: "int", f: "float", b: "boolean", d: "date" });
  });

  it("says where a malformed file breaks", async () => {
    const dir = await tempDir();
    const file = join(dir, "broken.xes");
    await writeFile(file, `<log>\n<trace>\n<event><string key="concept:name" value="a"/>\n</trace>\n</log>`);
    const error = await readXes(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventLogFormatError);
    expect((error as Error).message).toBe(`${file}:4: </trace> found where </event> was expected`);
  });

  it("refuses an event without concept:name and a file that is not XES", async () => {
    const dir = await tempDir();
    const noName = join(dir, "noname.xes");
    await writeFile(noName, `<log><trace><event><string key="x" value="a"/></event></trace></log>`);
    await expect(readXes(noName)).rejects.toThrow(/has no concept:name/);
    const pnml = join(dir, "net.xes");
    await writeFile(pnml, "<pnml/>");
    await expect(readXes(pnml)).rejects.toThrow(/not an XES file/);
  });
});

describe("readXesStream", () => {
  it("hands each case on as soon as its trace is closed, before the rest of the file is read", async () => {
    const seen: string[] = [];
    const checkpoints: string[][] = [];
    async function* chunks(): AsyncGenerator<Buffer> {
      yield Buffer.from(
        '<log><trace><string key="concept:name" value="c1"/><event><string key="concept:name" value="a"/>',
      );
      checkpoints.push([...seen]);
      yield Buffer.from("</event></trace><trace><string key=");
      checkpoints.push([...seen]);
      yield Buffer.from('"concept:name" value="c2"/></trace></log>');
    }
    const header = await readXesStream(chunks(), "stream.xes", (c) => seen.push(c.id));
    expect(checkpoints).toEqual([[], ["c1"]]);
    expect(seen).toEqual(["c1", "c2"]);
    expect(header.attributes).toEqual({});
  });
});
