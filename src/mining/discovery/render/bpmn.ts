import { escapeXml } from "../../eventlog/index.ts";
import type { PetriNet } from "../../petri/index.ts";
import type { Graph, GraphNode } from "./graph.ts";
import { layout } from "./layout.ts";

type Kind = "start" | "end" | "task" | "xor" | "and" | "pass";

interface Element {
  readonly kind: Kind;
  readonly name?: string;
  readonly split?: boolean;
}

/**
 * A workflow net as a BPMN 2.0 process with its diagram (what bpmn.io, Camunda Modeler and
 * Signavio open). The mapping is the usual one and keeps the net's behaviour for the nets the
 * miners make (free-choice workflow nets):
 * - a visible transition is a task; a silent one only connects, or splits and joins;
 * - a place with several ways in or out is an exclusive join or split (several ways in and out:
 *   a join followed by a split);
 * - a transition with several input or output places is a parallel join or split around it;
 * - the initial place follows a start event, the final place leads to an end event.
 * Connecting elements (one way in, one way out) disappear into the sequence flows. Places and
 * transitions are laid out by the same layered drawing as the SVG.
 *
 * @example
 * writeFileSync("model.bpmn", toBpmn(model.net));
 */
export function toBpmn(net: PetriNet): string {
  const elements: Element[] = [];
  const flows: [number, number][] = [];
  const add = (e: Element) => elements.push(e) - 1;
  const degree = (count: number, extra: boolean) => count + (extra ? 1 : 0);
  const initial = new Set(net.initialMarking.map((m) => m.place));
  const final = new Set(net.finalMarking.map((m) => m.place));

  const placeIn = net.places.map(() => 0);
  const placeOut = net.places.map(() => 0);
  const transIn = net.transitions.map(() => 0);
  const transOut = net.transitions.map(() => 0);
  for (const a of net.arcs) {
    if (a.toTransition) {
      placeOut[a.place] = (placeOut[a.place] as number) + 1;
      transIn[a.transition] = (transIn[a.transition] as number) + 1;
    } else {
      placeIn[a.place] = (placeIn[a.place] as number) + 1;
      transOut[a.transition] = (transOut[a.transition] as number) + 1;
    }
  }

  // Entry and exit element of each place and transition.
  const placeEnds = net.places.map((_, p) => {
    const ins = degree(placeIn[p] as number, initial.has(p));
    const outs = degree(placeOut[p] as number, final.has(p));
    const entry = add(ins > 1 ? { kind: "xor", split: false } : { kind: "pass" });
    const exit = outs > 1 ? add({ kind: "xor", split: true }) : entry;
    if (exit !== entry) flows.push([entry, exit]);
    return { entry, exit };
  });
  const transitionEnds = net.transitions.map((t, i) => {
    const core = add(t.label === null ? { kind: "pass" } : { kind: "task", name: t.label });
    let entry = core;
    let exit = core;
    if ((transIn[i] as number) > 1) {
      entry = add({ kind: "and", split: false });
      flows.push([entry, core]);
    }
    if ((transOut[i] as number) > 1) {
      exit = add({ kind: "and", split: true });
      flows.push([core, exit]);
    }
    return { entry, exit };
  });
  for (const a of net.arcs) {
    const p = placeEnds[a.place] as { entry: number; exit: number };
    const t = transitionEnds[a.transition] as { entry: number; exit: number };
    flows.push(a.toTransition ? [p.exit, t.entry] : [t.exit, p.entry]);
  }
  const start = add({ kind: "start" });
  const end = add({ kind: "end" });
  for (const p of initial) flows.push([start, (placeEnds[p] as { entry: number }).entry]);
  for (const p of final) flows.push([(placeEnds[p] as { exit: number }).exit, end]);

  const { kept, edges } = dropPassThrough(elements, flows);
  return render(net.name, elements, kept, edges);
}

/** Remove the connecting elements: each has one flow in and one out, which become one flow. */
function dropPassThrough(
  elements: readonly Element[],
  flows: readonly [number, number][],
): { kept: number[]; edges: [number, number][] } {
  const out = new Map<number, number[]>();
  for (const [s, t] of flows) out.set(s, [...(out.get(s) ?? []), t]);
  const isPass = (i: number) => elements[i]?.kind === "pass";
  // Follow pass-through elements to the next real one (a cycle of them ends the walk).
  const follow = (from: number): number | undefined => {
    const seen = new Set<number>();
    let at = from;
    while (isPass(at)) {
      if (seen.has(at)) return undefined;
      seen.add(at);
      const next = out.get(at);
      if (next === undefined || next.length !== 1) return undefined;
      at = next[0] as number;
    }
    return at;
  };
  const edges: [number, number][] = [];
  const seenEdges = new Set<string>();
  for (const [s, t] of flows) {
    if (isPass(s)) continue;
    const target = follow(t);
    if (target === undefined) continue;
    const key = `${s}>${target}`;
    // Two identical flows are one in BPMN (it could not tell them apart anyway).
    if (seenEdges.has(key)) continue;
    seenEdges.add(key);
    edges.push([s, target]);
  }
  const kept = elements.map((_, i) => i).filter((i) => !isPass(i));
  return { kept, edges };
}

const TAGS: Record<Exclude<Kind, "pass">, string> = {
  start: "startEvent",
  end: "endEvent",
  task: "task",
  xor: "exclusiveGateway",
  and: "parallelGateway",
};

function render(
  name: string,
  elements: readonly Element[],
  kept: readonly number[],
  edges: readonly [number, number][],
) {
  const idOf = (i: number) => {
    const e = elements[i] as Element;
    return `${e.kind === "task" ? "Task" : e.kind === "start" ? "Start" : e.kind === "end" ? "End" : "Gateway"}_${i}`;
  };
  const flowId = (k: number) => `Flow_${k}`;
  const incoming = new Map<number, number[]>();
  const outgoing = new Map<number, number[]>();
  edges.forEach(([s, t], k) => {
    outgoing.set(s, [...(outgoing.get(s) ?? []), k]);
    incoming.set(t, [...(incoming.get(t) ?? []), k]);
  });

  const graph: Graph = {
    name,
    nodes: kept.map((i): GraphNode => {
      const e = elements[i] as Element;
      const shape =
        e.kind === "task" ? "box" : e.kind === "start" ? "start" : e.kind === "end" ? "end" : "place";
      return { id: idOf(i), label: e.name ?? "", shape };
    }),
    edges: edges.map(([s, t]) => ({ source: idOf(s), target: idOf(t) })),
  };
  const drawn = layout(graph);

  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"' +
      ' xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"' +
      ' xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"' +
      ' xmlns:di="http://www.omg.org/spec/DD/20100524/DI"' +
      ' id="Definitions_1" targetNamespace="https://opsdojo.dev/bpmn" exporter="opsdojo" exporterVersion="1">',
    `  <bpmn:process id="Process_1" name="${escapeXml(name)}" isExecutable="false">`,
  ];
  for (const i of kept) {
    const e = elements[i] as Element;
    const tag = TAGS[e.kind as Exclude<Kind, "pass">];
    const attrs = [`id="${idOf(i)}"`];
    if (e.name !== undefined) attrs.push(`name="${escapeXml(e.name)}"`);
    if (e.split !== undefined) attrs.push(`gatewayDirection="${e.split ? "Diverging" : "Converging"}"`);
    const body = [
      ...(incoming.get(i) ?? []).map((k) => `      <bpmn:incoming>${flowId(k)}</bpmn:incoming>`),
      ...(outgoing.get(i) ?? []).map((k) => `      <bpmn:outgoing>${flowId(k)}</bpmn:outgoing>`),
    ];
    lines.push(`    <bpmn:${tag} ${attrs.join(" ")}>`, ...body, `    </bpmn:${tag}>`);
  }
  edges.forEach(([s, t], k) => {
    lines.push(`    <bpmn:sequenceFlow id="${flowId(k)}" sourceRef="${idOf(s)}" targetRef="${idOf(t)}" />`);
  });
  lines.push(
    "  </bpmn:process>",
    '  <bpmndi:BPMNDiagram id="Diagram_1">',
    '    <bpmndi:BPMNPlane id="Plane_1" bpmnElement="Process_1">',
  );
  const r = (x: number) => Math.round(x * 10) / 10;
  for (const n of drawn.nodes) {
    lines.push(
      `      <bpmndi:BPMNShape id="${n.node.id}_di" bpmnElement="${n.node.id}">`,
      `        <dc:Bounds x="${r(n.x - n.w / 2)}" y="${r(n.y - n.h / 2)}" width="${r(n.w)}" height="${r(n.h)}" />`,
      "      </bpmndi:BPMNShape>",
    );
  }
  const centre = new Map(drawn.nodes.map((n) => [n.node.id, n]));
  for (const e of drawn.edges) {
    const [s, t] = edges[e.index] as [number, number];
    const from = centre.get(idOf(s));
    const to = centre.get(idOf(t));
    // A flow needs two waypoints; a self-loop gets a small detour above its element.
    const points =
      e.points.length >= 2
        ? e.points
        : from && to
          ? [
              { x: from.x, y: from.y - from.h / 2 },
              { x: from.x, y: from.y - from.h / 2 - 20 },
              { x: to.x + to.w / 2, y: to.y - to.h / 2 - 20 },
              { x: to.x + to.w / 2, y: to.y },
            ]
          : [];
    lines.push(`      <bpmndi:BPMNEdge id="${flowId(e.index)}_di" bpmnElement="${flowId(e.index)}">`);
    for (const p of clipped(points, from, to))
      lines.push(`        <di:waypoint x="${r(p.x)}" y="${r(p.y)}" />`);
    lines.push("      </bpmndi:BPMNEdge>");
  }
  lines.push("    </bpmndi:BPMNPlane>", "  </bpmndi:BPMNDiagram>", "</bpmn:definitions>", "");
  return lines.join("\n");
}

type Box = { x: number; y: number; w: number; h: number };

/** A flow starts and ends on its elements' borders, not their centres (where arrowheads would hide under labels). */
function clipped(
  points: readonly { x: number; y: number }[],
  from?: Box,
  to?: Box,
): { x: number; y: number }[] {
  if (points.length < 2 || from === undefined || to === undefined) return [...points];
  const out = [...points];
  out[0] = border(from, out[1] as { x: number; y: number });
  out[out.length - 1] = border(to, out[out.length - 2] as { x: number; y: number });
  return out;
}

/** Where the line from a box's centre towards `toward` leaves the box. */
function border(box: Box, toward: { x: number; y: number }): { x: number; y: number } {
  const dx = toward.x - box.x;
  const dy = toward.y - box.y;
  if (dx === 0 && dy === 0) return { x: box.x, y: box.y };
  const t = Math.min(
    dx === 0 ? Number.POSITIVE_INFINITY : box.w / 2 / Math.abs(dx),
    dy === 0 ? Number.POSITIVE_INFINITY : box.h / 2 / Math.abs(dy),
  );
  return t >= 1 ? { x: box.x, y: box.y } : { x: box.x + dx * t, y: box.y + dy * t };
}
