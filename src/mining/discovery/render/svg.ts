import { escapeXml } from "../../eventlog/index.ts";
import type { Graph } from "./graph.ts";
import { displayLabel, layout } from "./layout.ts";

const f = (v: number) => (Math.round(v * 10) / 10).toString();

/**
 * A standalone SVG drawing of the graph, laid out by `layout` (no Graphviz needed).
 *
 * @example
 * await writeFile("model.svg", toSvg(netGraph(net)));
 */
export function toSvg(graph: Graph): string {
  const l = layout(graph);
  const byId = new Map(l.nodes.map((n) => [n.node.id, n]));
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${f(l.width)}" height="${f(l.height)}" viewBox="0 0 ${f(l.width)} ${f(l.height)}" font-family="Helvetica, Arial, sans-serif">`,
    `<title>${escapeXml(graph.name)}</title>`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#5f6368"/></marker></defs>',
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    '<g fill="none" stroke="#5f6368">',
  ];
  const labels: string[] = [];
  for (const e of l.edges) {
    const edge = graph.edges[e.index];
    if (edge === undefined) continue;
    const s = byId.get(edge.source);
    const t = byId.get(edge.target);
    if (s === undefined || t === undefined) continue;
    const width = f(1 + 2.5 * (edge.weight ?? 0));
    let d: string;
    let mid: { x: number; y: number };
    if (edge.source === edge.target) {
      const top = s.y - s.h / 2;
      d = `M${f(s.x - 8)},${f(top)} C${f(s.x - 24)},${f(top - 30)} ${f(s.x + 24)},${f(top - 30)} ${f(s.x + 8)},${f(top)}`;
      mid = { x: s.x, y: top - 26 };
    } else if (e.back && e.points.length === 2) {
      // A back edge between neighbouring layers arcs below both nodes.
      const sy = s.y + s.h / 2;
      const ty = t.y + t.h / 2;
      const dip = Math.max(sy, ty) + 28;
      d = `M${f(s.x)},${f(sy)} C${f(s.x)},${f(dip)} ${f(t.x)},${f(dip)} ${f(t.x)},${f(ty)}`;
      mid = { x: (s.x + t.x) / 2, y: dip - 6 };
    } else {
      const pts = e.points.map((p) => ({ ...p }));
      const first = pts[0] as { x: number; y: number };
      const second = pts[1] as { x: number; y: number };
      const last = pts.at(-1) as { x: number; y: number };
      const before = pts.at(-2) as { x: number; y: number };
      first.x += (second.x >= first.x ? 1 : -1) * (s.w / 2);
      last.x += (before.x <= last.x ? -1 : 1) * (t.w / 2);
      d = `M${f(first.x)},${f(first.y)}`;
      for (let k = 1; k < pts.length; k++) {
        const a = pts[k - 1] as { x: number; y: number };
        const b = pts[k] as { x: number; y: number };
        const dx = (b.x - a.x) / 2;
        d += ` C${f(a.x + dx)},${f(a.y)} ${f(b.x - dx)},${f(b.y)} ${f(b.x)},${f(b.y)}`;
      }
      const m = Math.floor((pts.length - 1) / 2);
      const a = pts[m] as { x: number; y: number };
      const b = pts[m + 1] as { x: number; y: number };
      mid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 - 4 };
    }
    const path = `<path d="${d}" stroke-width="${width}" marker-end="url(#arrow)"/>`;
    // The hover text sits on the arc itself (the label is drawn later, above every arc); the class
    // tells an arc's group from an activity's box, which the dashboard marks by its title.
    parts.push(edge.title ? `<g class="arc"><title>${escapeXml(edge.title)}</title>${path}</g>` : path);
    if (edge.label) {
      labels.push(
        `<text x="${f(mid.x)}" y="${f(mid.y)}" font-size="9" text-anchor="middle" fill="#3c4043" stroke="#ffffff" stroke-width="3" paint-order="stroke">${escapeXml(edge.label)}</text>`,
      );
    }
  }
  parts.push("</g>", ...labels);
  for (const n of l.nodes) {
    const { node } = n;
    const title = node.label ? `<title>${escapeXml(node.label)}</title>` : "";
    switch (node.shape) {
      case "box":
        parts.push(
          `<g>${title}<rect x="${f(n.x - n.w / 2)}" y="${f(n.y - n.h / 2)}" width="${f(n.w)}" height="${f(n.h)}" rx="6" fill="#e8f0fe" stroke="#1a73e8"/>` +
            `<text x="${f(n.x)}" y="${f(n.y + 4)}" font-size="11" text-anchor="middle" fill="#202124">${escapeXml(displayLabel(node.label))}</text></g>`,
        );
        break;
      case "silent":
        parts.push(
          `<rect x="${f(n.x - n.w / 2)}" y="${f(n.y - n.h / 2)}" width="${f(n.w)}" height="${f(n.h)}" fill="#202124"/>`,
        );
        break;
      case "place":
        parts.push(`<circle cx="${f(n.x)}" cy="${f(n.y)}" r="12" fill="#ffffff" stroke="#202124"/>`);
        if (node.final)
          parts.push(`<circle cx="${f(n.x)}" cy="${f(n.y)}" r="9" fill="none" stroke="#202124"/>`);
        if (node.tokens) parts.push(`<circle cx="${f(n.x)}" cy="${f(n.y)}" r="4" fill="#202124"/>`);
        break;
      case "start":
        parts.push(`<circle cx="${f(n.x)}" cy="${f(n.y)}" r="9" fill="#34a853"/>`);
        break;
      case "end":
        parts.push(
          `<circle cx="${f(n.x)}" cy="${f(n.y)}" r="10" fill="#ffffff" stroke="#ea4335" stroke-width="2"/><circle cx="${f(n.x)}" cy="${f(n.y)}" r="6" fill="#ea4335"/>`,
        );
        break;
    }
  }
  parts.push("</svg>", "");
  return parts.join("\n");
}
