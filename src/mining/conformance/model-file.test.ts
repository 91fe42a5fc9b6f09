import { describe, expect, it } from "vitest";
import { discover } from "../discovery/index.ts";
import { logFromTraces } from "../eventlog/index.ts";
import { netToJson, toPnml } from "../petri/index.ts";
import { alignTrace } from "./alignments.ts";
import { parseModel } from "./model-file.ts";

const model = discover(
  logFromTraces([
    ["a", "b", "c"],
    ["a", "c", "b"],
  ]),
);
const json = JSON.stringify({
  format: "opsdojo-process-model/v1",
  net: netToJson(model.net),
  dfg: model.dfg,
});

describe("parseModel", () => {
  it("reads the model JSON, a bare net and PNML into the same language", () => {
    const loaded = [
      parseModel(json),
      parseModel(JSON.stringify(netToJson(model.net))),
      parseModel(toPnml(model.net), "m.pnml"),
    ];
    expect(loaded[0]?.dfg?.edges.length).toBe(model.dfg.edges.length);
    expect(loaded[2]?.dfg).toBeUndefined();
    for (const m of loaded) {
      expect(alignTrace(m.net, ["a", "c", "b"])).toMatchObject({ cost: 0 });
      expect(alignTrace(m.net, ["a", "b"])).toMatchObject({ cost: 1 });
    }
  });

  it("refuses what is not a model, saying which file", () => {
    expect(() => parseModel("{oops", "x.json")).toThrow(/x\.json: not JSON or PNML/);
    expect(() => parseModel('{"format":"something"}', "y.json")).toThrow(/y\.json: no Petri net in it/);
    expect(() =>
      parseModel('{"net":{"places":[],"transitions":[],"arcs":[]},"templates":{"version":9}}', "z.json"),
    ).toThrow(/z\.json \(templates\)/);
  });
});
