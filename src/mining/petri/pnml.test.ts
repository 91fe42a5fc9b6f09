import { describe, expect, it } from "vitest";
import { XmlTokenizer } from "../eventlog/index.ts";
import { netFromJson, netToJson } from "./json.ts";
import { PetriNetBuilder } from "./model.ts";
import { fromPnml, PTNET_TYPE, toPnml } from "./pnml.ts";

/** source → a → p → (b | τ) → sink */
function net() {
  const b = new PetriNetBuilder("a then b or nothing & more");
  const source = b.place("source");
  const mid = b.place();
  const sink = b.place("sink");
  b.connect(source, b.transition("a <first>"), mid);
  b.connect(mid, b.transition("b"), sink);
  b.connect(mid, b.transition(null), sink);
  return b.build([{ place: source, tokens: 1 }], [{ place: sink, tokens: 1 }]);
}

describe("PNML", () => {
  it("is well-formed XML of the 2009 P/T grammar with markings as ProM and PM4Py read them", () => {
    const text = toPnml(net());
    const opened: string[] = [];
    const t = new XmlTokenizer((tok) => {
      if (tok.kind === "open") opened.push(tok.name);
    });
    t.push(Buffer.from(text));
    t.end();
    expect(opened.filter((n) => n === "place")).toHaveLength(4); // 3 places + 1 in the final marking
    expect(opened.filter((n) => n === "transition")).toHaveLength(3);
    expect(opened.filter((n) => n === "arc")).toHaveLength(6);
    expect(text).toContain(`<net id="net1" type="${PTNET_TYPE}">`);
    expect(text).toContain(
      '<place id="p0"><name><text>source</text></name><initialMarking><text>1</text></initialMarking></place>',
    );
    expect(text).toContain(
      '<finalmarkings>\n      <marking>\n        <place idref="p2"><text>1</text></place>',
    );
    expect(text).toMatch(
      /<transition id="t2"><name><text>tau_2<\/text><\/name><toolspecific tool="ProM" version="6.4" activity="\$invisible\$" localNodeID="[0-9a-f-]{36}"\/><\/transition>/,
    );
    expect(text).toContain("a &lt;first&gt;");
    // The net must be the last child of <pnml>: PM4Py's importer takes the last one.
    expect(text.trimEnd().endsWith("</net>\n</pnml>")).toBe(true);
  });

  it("reads back what it writes, silent transitions and markings included", () => {
    const original = net();
    const again = fromPnml(toPnml(original));
    expect(netToJson(again)).toEqual(netToJson(original));
  });

  it("refuses a PNML without final markings unless it is given, and never guesses one", () => {
    const text = `<?xml version="1.0"?><pnml><net id="n" type="${PTNET_TYPE}"><page id="pg">
      <place id="i"><initialMarking><text>1</text></initialMarking></place><place id="o"/>
      <transition id="x"><name><text>x</text></name></transition>
      <arc id="1" source="i" target="x"/><arc id="2" source="x" target="o"><inscription><text>2</text></inscription></arc>
      </page></net></pnml>`;
    expect(() => fromPnml(text, "m.pnml")).toThrow(/m\.pnml: no final marking.*--final-marking/);
    const json = netToJson(fromPnml(text, "m.pnml", { finalMarking: [{ place: "o", tokens: 1 }] }));
    expect(json.finalMarking).toEqual({ o: 1 });
    expect(() => fromPnml(text, "m.pnml", { finalMarking: [{ place: "nope", tokens: 1 }] })).toThrow(
      /unknown place nope/,
    );
    expect(json.initialMarking).toEqual({ i: 1 });
    expect(json.arcs).toEqual([
      { source: "i", target: "x", weight: 1 },
      { source: "x", target: "o", weight: 2 },
    ]);
    const given = { finalMarking: [{ place: "o", tokens: 1 }] };
    expect(() => fromPnml(text.replace('target="o"', 'target="nowhere"'), "m.pnml", given)).toThrow(
      /does not join/,
    );
  });

  it("JSON round trip keeps the net", () => {
    const json = netToJson(net());
    expect(netToJson(netFromJson(JSON.parse(JSON.stringify(json))))).toEqual(json);
  });
});
