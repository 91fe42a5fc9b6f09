/**
 * One simulation (`#/simulations/ID`, made with POST /api/simulations): its chances and times,
 * the time distribution as a histogram, the bottleneck bars and the what-if Pareto front with
 * the recommendation. Refreshed every 2 s while it is still computing.
 */
import { getJson } from "./api.ts";
import type { Simulation } from "./api-types.ts";
import { empty, idPath, status, text } from "./format.ts";
import { every } from "./poll.ts";
import { safeSvg } from "./svg.ts";
import type { View } from "./view.ts";

const REFRESH_MS = 2000;

interface Interval {
  value: number;
  low: number;
  high: number;
}
interface Quantiles {
  p50: Interval;
  p90: Interval;
  p99: Interval;
}
/** The report's fields the view reads (docs/operations.md "Simulate", the JSON report). */
interface Report {
  runs: number;
  seed: string;
  model: {
    targets: number;
    batch_size: number;
    max_failures: number;
    on_failure: string;
    warnings: string[];
  };
  probability: Record<string, Interval>;
  time_ms: { complete: Quantiles | null; all: Quantiles };
  rollback_ms: Quantiles | null;
  expected_failed_targets: number;
  bottlenecks: { step: string; time_share: number; failure_share: number; critical_share: number }[];
  histogram: { from_ms: number; width_ms: number; counts: number[] };
  what_if: {
    runs_each: number;
    max_risk: number;
    deadline_ms: number | null;
    points: {
      batch_size: number;
      max_failures: number;
      p50_ms: number | null;
      p90_ms: number | null;
      risk: number;
      pareto: boolean;
    }[];
    recommended: { batch_size: number; max_failures: number } | null;
  } | null;
}

/** The CLI's duration form: `850ms`, `4.2s`, `12m 05s`, `2h 10m`. */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

const pct = (p: number) => `${(p * 100).toFixed(1)} %`;

function chances(r: Report): string {
  const row = (label: string, key: string) => {
    const p = r.probability[key];
    return p
      ? `<tr><th>${label}</th><td>${pct(p.value)}</td><td class="meta">${pct(p.low)}–${pct(p.high)}</td></tr>`
      : "";
  };
  const q = r.time_ms.complete;
  const time = (label: string, i: Interval | undefined) =>
    i
      ? `<tr><th>${label}</th><td>${duration(i.value)}</td><td class="meta">${duration(i.low)}–${duration(i.high)}</td></tr>`
      : "";
  return `<table class="facts" id="chances"><tbody>${row("P(success)", "succeeded")}${row(
    "P(done, failures tolerated)",
    "failed",
  )}${row("P(rollback)", "rolled_back")}${row("P(pause)", "paused")}${time("time P50", q?.p50)}${time(
    "time P90",
    q?.p90,
  )}${time("time P99", q?.p99)}${
    r.rollback_ms
      ? `<tr><th>rollback P50</th><td>${duration(r.rollback_ms.p50.value)}</td><td></td></tr>`
      : ""
  }<tr><th>failed targets per run</th><td>${text(r.expected_failed_targets)}</td><td></td></tr></tbody></table>`;
}

/** The histogram as SVG markup built here from numbers only (every label goes through text()). */
function histogram(r: Report): string {
  const { counts, from_ms: from, width_ms: width } = r.histogram;
  const w = 600;
  const h = 180;
  const max = Math.max(1, ...counts);
  const bar = counts.length > 0 ? w / counts.length : w;
  const bars = counts
    .map((c, i) => {
      const height = (c / max) * (h - 36); // the top 16 px hold the legend
      return `<rect x="${(i * bar).toFixed(1)}" y="${(h - 20 - height).toFixed(1)}" width="${Math.max(
        1,
        bar - 1,
      ).toFixed(1)}" height="${height.toFixed(1)}" fill="#4c78a8"><title>${text(
        `${duration(from + i * width)}–${duration(from + (i + 1) * width)}: ${c} runs`,
      )}</title></rect>`;
    })
    .join("");
  // P50/P90/P99 of the runs that complete: dashed lines where they fall, named in one legend
  // (labels at each line would overlap, the three are often close).
  const span = Math.max(1, width * counts.length);
  const q = r.time_ms.complete;
  const quantiles = q
    ? ([
        ["P50", q.p50.value],
        ["P90", q.p90.value],
        ["P99", q.p99.value],
      ] as const)
    : [];
  const marks = quantiles
    .map(([name, ms]) => {
      const x = Math.min(w, Math.max(0, ((ms - from) / span) * w)).toFixed(1);
      return `<line x1="${x}" y1="16" x2="${x}" y2="${h - 20}" stroke="currentColor" stroke-dasharray="4 3"><title>${name} ${text(
        duration(ms),
      )}</title></line>`;
    })
    .join("");
  const legend = quantiles.map(([name, ms]) => `${name} ${duration(ms)}`).join(" · ");
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="time distribution">${bars}${marks}<text x="${w}" y="11" font-size="11" text-anchor="end" fill="currentColor">${text(
    legend,
  )}</text><text x="0" y="${h - 4}" font-size="12" fill="currentColor">${text(
    duration(from),
  )}</text><text x="${w}" y="${h - 4}" font-size="12" text-anchor="end" fill="currentColor">${text(
    duration(from + span),
  )}</text></svg>`;
}

function bottlenecks(r: Report): string {
  // <meter>, not a styled span: the page's CSP allows no inline style.
  const bar = (share: number, kind: string) =>
    `<meter class="${kind}" min="0" max="1" value="${share.toFixed(4)}"></meter> ${pct(share)}`;
  const rows = r.bottlenecks
    .map(
      (b) =>
        `<tr><td>${text(b.step)}</td><td class="bars">${bar(b.time_share, "time")}</td><td class="bars">${bar(
          b.critical_share,
          "critical",
        )}</td><td class="bars">${bar(b.failure_share, "failure")}</td></tr>`,
    )
    .join("");
  return `<table class="list" id="bottlenecks"><thead><tr><th>step</th><th>time</th><th>critical path</th><th>failures</th></tr></thead><tbody>${
    rows || empty(4, "No steps.")
  }</tbody></table>`;
}

function front(r: Report): string {
  const w = r.what_if;
  if (!w) return "<p>No what-if sweep was asked for.</p>";
  const rec = w.recommended;
  const rows = w.points
    .filter((p) => p.pareto)
    .sort((a, b) => (a.p90_ms ?? 0) - (b.p90_ms ?? 0))
    .map((p) => {
      const chosen = rec !== null && rec.batch_size === p.batch_size && rec.max_failures === p.max_failures;
      return `<tr${chosen ? ' aria-current="true"' : ""}><td>${text(p.batch_size)}</td><td>${text(
        p.max_failures,
      )}</td><td>${duration(p.p50_ms)}</td><td>${duration(p.p90_ms)}</td><td>${pct(p.risk)}</td><td>${
        chosen ? "recommended" : ""
      }</td></tr>`;
    })
    .join("");
  const verdict = rec
    ? `<p id="recommended">Recommended: <b>batch_size ${text(rec.batch_size)}, max_failures ${text(rec.max_failures)}</b>${
        w.deadline_ms !== null ? ` (deadline ${duration(w.deadline_ms)}` : " ("
      }${w.deadline_ms !== null ? ", " : ""}max risk ${pct(w.max_risk)}).</p>`
    : '<p id="recommended" class="alert">Nothing meets the deadline within the risk.</p>';
  return `${verdict}<table class="list" id="front"><thead><tr><th>batch_size</th><th>max_failures</th><th>P50</th><th>P90</th><th>risk</th><th></th></tr></thead><tbody>${
    rows || empty(6, "No point completes.")
  }</tbody></table>`;
}

export const simulationView: View = (root, params, ctx) => {
  root.innerHTML =
    '<p class="back"><a href="#/runs">← runs</a></p><h2 id="title">Simulation</h2><div id="body"></div>';
  const title = root.querySelector("#title") as HTMLElement;
  const body = root.querySelector("#body") as HTMLElement;
  every(REFRESH_MS, ctx, async () => {
    const sim = await getJson<Simulation>(`/api/simulations/${idPath(params.id ?? "")}`, ctx.signal);
    title.innerHTML = `Simulation of ${text(sim.operation_name)} ${status(sim.status)}`;
    if (sim.status === "running") {
      body.innerHTML = "<p>Computing…</p>";
      return true;
    }
    if (sim.status === "failed" || !sim.result) {
      body.innerHTML = `<p class="alert">${text(sim.error?.message ?? "the simulation failed")}</p>`;
      return false;
    }
    const r = sim.result as unknown as Report;
    const m = r.model;
    body.innerHTML = `<p class="meta">${text(r.runs)} simulated runs of ${text(m.targets)} targets, batches of ${text(
      m.batch_size,
    )}, max_failures ${text(m.max_failures)}, on_failure ${text(m.on_failure)}, seed ${text(r.seed)}</p>${
      m.warnings.length > 0
        ? `<ul class="alert" id="warnings">${m.warnings.map((w) => `<li>${text(w)}</li>`).join("")}</ul>`
        : ""
    }${chances(r)}<section><h3>Time distribution</h3><div class="svg" id="histogram"></div></section><section><h3>Bottlenecks</h3>${bottlenecks(
      r,
    )}</section><section><h3>What if: the Pareto front of time against risk</h3>${front(r)}</section>`;
    (body.querySelector("#histogram") as HTMLElement).replaceChildren(safeSvg(histogram(r)));
    return false;
  });
};
