import { escapeXml } from "../../mining/index.ts";
import { formatMs, type SimulationReport } from "./report.ts";

const W = 640;
const H = 300;
const PAD = { left: 48, right: 16, top: 36, bottom: 40 };

/**
 * The time distribution as an SVG chart (`opsdojo simulate --format svg`): the histogram of every
 * simulated run's time, with P50, P90 and P99 of the runs that complete marked. Self-contained
 * (no script, no external font), so it can be attached to a change request.
 */
export function simulationSvg(report: SimulationReport): string {
  const { counts, from_ms: from, width_ms: width } = report.histogram;
  const max = Math.max(1, ...counts);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const barW = counts.length > 0 ? plotW / counts.length : plotW;
  const span = Math.max(1, width * counts.length);
  const x = (ms: number) => PAD.left + ((ms - from) / span) * plotW;
  const bars = counts.map((c, i) => {
    const h = (c / max) * plotH;
    return `<rect x="${(PAD.left + i * barW).toFixed(1)}" y="${(PAD.top + plotH - h).toFixed(1)}" width="${Math.max(1, barW - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="#4c78a8"><title>${escapeXml(`${formatMs(from + i * width)}–${formatMs(from + (i + 1) * width)}: ${c} runs`)}</title></rect>`;
  });
  const marks: string[] = [];
  const complete = report.time_ms.complete;
  if (complete)
    for (const [name, q, colour] of [
      ["P50", complete.p50.value, "#2ca02c"],
      ["P90", complete.p90.value, "#ff7f0e"],
      ["P99", complete.p99.value, "#d62728"],
    ] as const) {
      const at = Math.min(W - PAD.right, Math.max(PAD.left, x(q)));
      marks.push(
        `<line x1="${at.toFixed(1)}" y1="${PAD.top}" x2="${at.toFixed(1)}" y2="${PAD.top + plotH}" stroke="${colour}" stroke-dasharray="4 3"/>`,
        `<text x="${at.toFixed(1)}" y="${PAD.top - 4}" font-size="11" text-anchor="middle" fill="${colour}">${name} ${escapeXml(formatMs(q))}</text>`,
      );
    }
  const success = report.probability.succeeded?.value ?? 0;
  const title = `${report.operation}: ${report.runs} simulated runs of ${report.model.targets} targets — P(success) ${(success * 100).toFixed(1)} %`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${PAD.left}" y="16" font-size="12" fill="#222">${escapeXml(title)}</text>`,
    ...bars,
    `<line x1="${PAD.left}" y1="${PAD.top + plotH}" x2="${W - PAD.right}" y2="${PAD.top + plotH}" stroke="#444"/>`,
    `<text x="${PAD.left}" y="${H - 14}" font-size="11" fill="#444">${escapeXml(formatMs(from))}</text>`,
    `<text x="${W - PAD.right}" y="${H - 14}" font-size="11" text-anchor="end" fill="#444">${escapeXml(formatMs(from + span))}</text>`,
    `<text x="${W / 2}" y="${H - 4}" font-size="11" text-anchor="middle" fill="#444">time to the end of the run</text>`,
    ...marks,
    "</svg>",
    "",
  ].join("\n");
}
