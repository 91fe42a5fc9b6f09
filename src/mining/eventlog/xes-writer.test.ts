import { describe, expect, it } from "vitest";
import { readXes } from "../../../test/support/xml-reader.ts";
import { logFromTraces } from "./model.ts";
import { xesChunks, xesPrologue } from "./xes-writer.ts";

describe("the XES writer", () => {
  it("writes names XML cannot carry as a strict reader reads them: controls as U+FFFD, quotes as they are", () => {
    const log = logFromTraces([["it's \u0001 <on>", "tab\there"]]);
    const text = [...xesChunks(log)].join("");
    const read = readXes(text);
    const names = read.traces[0]?.events.map((e) => e["concept:name"]?.value);
    expect(names).toEqual(["it's \uFFFD <on>", "tab\there"]);
  });

  it("declares only the standard extensions it knows, and says which prefix it does not", () => {
    const prologue = {
      comment: "c",
      extensions: ["concept", "nope"],
      traceGlobals: [],
      eventGlobals: [],
      classifiers: [],
      attributes: {},
      attributeTypes: {},
    };
    expect(() => xesPrologue(prologue)).toThrow("XES has no standard extension with the prefix nope");
    expect(xesPrologue({ ...prologue, extensions: ["concept"] })).toContain(
      '<extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>',
    );
  });
});
