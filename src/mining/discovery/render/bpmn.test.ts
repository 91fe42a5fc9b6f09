import { describe, expect, it } from "vitest";
import { activity, loop, operator, TAU } from "../process-tree.ts";
import { treeToNet } from "../tree-to-net.ts";
import { toBpmn } from "./bpmn.ts";

const count = (xml: string, tag: string) => (xml.match(new RegExp(`<bpmn:${tag}[ >]`, "g")) ?? []).length;

describe("BPMN export", () => {
  it("maps tasks, exclusive and parallel gateways, and draws every element and flow", () => {
    // a ; X(b, c) ; (d ∥ e) ; X(f, τ)
    const tree = operator("seq", [
      activity("a"),
      operator("xor", [activity("b"), activity("c")]),
      operator("and", [activity("d"), activity("e")]),
      operator("xor", [activity("f"), TAU]),
    ]);
    const xml = toBpmn(treeToNet(tree, "orders"));
    expect(count(xml, "task")).toBe(6);
    expect(count(xml, "startEvent")).toBe(1);
    expect(count(xml, "endEvent")).toBe(1);
    expect(count(xml, "parallelGateway")).toBe(2);
    // X(b, c) and X(f, τ): a split and a join each.
    expect(count(xml, "exclusiveGateway")).toBe(4);
    const flows = count(xml, "sequenceFlow");
    expect(xml.match(/<bpmndi:BPMNEdge /g)).toHaveLength(flows);
    expect(xml.match(/<bpmndi:BPMNShape /g)).toHaveLength(6 + 2 + 2 + 4);
    // Every flow's ends exist, and every element's incoming/outgoing names a flow that exists.
    const ids = new Set([...xml.matchAll(/<bpmn:\w+ id="([^"]+)"/g)].map((m) => m[1]));
    for (const m of xml.matchAll(/sourceRef="([^"]+)" targetRef="([^"]+)"/g)) {
      expect(ids.has(m[1])).toBe(true);
      expect(ids.has(m[2])).toBe(true);
    }
    for (const m of xml.matchAll(/<bpmn:(?:incoming|outgoing)>([^<]+)</g)) expect(ids.has(m[1])).toBe(true);
    expect(xml).toContain('name="orders"');
  });

  it("keeps a loop as a join before and a split after its body, and escapes names", () => {
    const xml = toBpmn(treeToNet(loop(activity('check <stock> & "price"'), activity("reorder")), "loop"));
    expect(count(xml, "task")).toBe(2);
    expect(count(xml, "exclusiveGateway")).toBe(2);
    expect(xml).toContain('name="check &lt;stock&gt; &amp; &quot;price&quot;"');
    expect(xml).not.toContain("<stock>");
  });
});
