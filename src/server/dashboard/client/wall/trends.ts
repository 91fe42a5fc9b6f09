/**
 * Time to detect and time to resolve across the team's drills (ended sessions, oldest first), as
 * a uPlot line chart, with the median of the latest five against the five before written large.
 */
import { getJson } from "../api.ts";
import type { SessionPage } from "../api-types.ts";
import { duration, localDateTime, text } from "../format.ts";
import type { Panel } from "./panel.ts";

const DRILLS = 60;
const RECENT = 5;

type Measured = { readonly ms: number } | null | undefined;
const minutes = (m: Measured) => (m ? Math.round((m.ms / 60000) * 10) / 10 : null);

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? null) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** "4 min 10 s, was 6 min" with an arrow: down is better (a shorter time). */
function headline(label: string, values: readonly (number | null)[]): string {
  const known = values.filter((v): v is number => v !== null);
  const now = median(known.slice(-RECENT));
  const before = median(known.slice(-2 * RECENT, -RECENT));
  if (now === null)
    return `<div class="figure"><span class="label">${text(label)}</span><span class="value">—</span></div>`;
  const tone = before === null || now === before ? "idle" : now < before ? "ok" : "bad";
  const word = before === null ? "" : now < before ? "faster" : now > before ? "slower" : "steady";
  const was =
    before === null ? "" : `<span class="was status ${tone}">${word}: was ${duration(before * 60000)}</span>`;
  return `<div class="figure"><span class="label">${text(label)}</span><span class="value">${duration(now * 60000)}</span>${was}</div>`;
}

export const trendsPanel: Panel = {
  name: "trends",
  title: "Drills: time to detect and to resolve",
  async load(ctx) {
    const filter = encodeURIComponent('status = "ended"');
    const [page, charts] = await Promise.all([
      getJson<SessionPage>(`/api/sessions?filter=${filter}&sort=-started_at&limit=${DRILLS}`, ctx.signal),
      import("./chart.ts"),
    ]);
    const drills = page.items.filter((s) => s.metrics).reverse();
    const detect = drills.map((s) => minutes(s.metrics?.detect));
    const resolve = drills.map((s) => minutes(s.metrics?.resolve));
    return (root) => {
      if (drills.length === 0) {
        root.innerHTML = '<p class="nothing">No drills ended yet: play one with opsdojo gameday start.</p>';
        return;
      }
      root.innerHTML = `<div class="figures">${headline("detect (median of the last 5)", detect)}${headline(
        "resolve (median of the last 5)",
        resolve,
      )}<div class="figure"><span class="label">drills</span><span class="value">${drills.length}</span></div></div>
<p class="key"><span class="swatch detect"></span>time to detect <span class="swatch resolve"></span>time to resolve</p>
<div class="chart"></div>`;
      const chart = root.querySelector<HTMLElement>(".chart");
      if (!chart) return;
      charts.drawLineChart(chart, {
        x: drills.map((s) => Math.floor(new Date(s.started_at).getTime() / 1000)),
        unit: "min",
        // Whole days, written as the dashboard writes dates (local, ISO order).
        day: (seconds) => localDateTime(new Date(seconds * 1000)).slice(5, 10),
        series: [
          { label: "detect", colour: "--busy", values: detect },
          { label: "resolve", colour: "--warn", values: resolve },
        ],
      });
    };
  },
};
