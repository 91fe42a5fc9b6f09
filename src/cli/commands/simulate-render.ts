import { formatMs, type SimulationReport } from "../../operations/index.ts";
import { type Style, table } from "../output.ts";

const pct = (p: number) => `${(p * 100).toFixed(1)} %`;
const BLOCKS = " ▏▎▍▌▋▊▉█";

/** A horizontal bar of `width` cells for a share 0–1 (eighth-cell steps). */
export function bar(share: number, width: number): string {
  const eighths = Math.round(Math.max(0, Math.min(1, share)) * width * 8);
  return `${"█".repeat(Math.floor(eighths / 8))}${eighths % 8 > 0 ? BLOCKS[eighths % 8] : ""}`;
}

/** The terminal histogram: one line per bin, the bar's length its share of the runs. */
export function histogramLines(report: SimulationReport, width = 40): string[] {
  const { counts, from_ms: from, width_ms: w } = report.histogram;
  const max = Math.max(1, ...counts);
  const label = (i: number) => formatMs(from + i * w).padStart(8);
  return counts.map((c, i) => `  ${label(i)} │${bar(c / max, width)} ${c > 0 ? c : ""}`.trimEnd());
}

/** `opsdojo simulate` as people read it. */
export function renderSimulation(report: SimulationReport, s: Style): string {
  const m = report.model;
  const p = report.probability;
  const lines: string[] = [];
  lines.push(
    s.bold(
      `${report.operation}: ${report.runs} simulated runs of ${m.targets} targets, batches of ${m.batch_size}, max_failures ${m.max_failures}, on_failure ${m.on_failure} (seed ${report.seed})`,
    ),
  );
  for (const w of m.warnings) lines.push(s.yellow(`  ! ${w}`));
  lines.push("");
  const ci = (i: { value: number; low: number; high: number }) =>
    `${pct(i.value)}  (${pct(i.low)}–${pct(i.high)})`;
  const none = { value: 0, low: 0, high: 0 };
  const label = (text: string) => `  ${text.padEnd(30)}`;
  lines.push(`${label("P(success)")}${ci(p.succeeded ?? none)}`);
  lines.push(`${label("P(done, failures tolerated)")}${ci(p.failed ?? none)}`);
  lines.push(`${label("P(rollback)")}${ci(p.rolled_back ?? none)}`);
  lines.push(`${label("P(pause)")}${ci(p.paused ?? none)}`);
  lines.push(`${label("failed targets per run")}${report.expected_failed_targets.toFixed(1)} expected`);
  const t = report.time_ms.complete;
  const q = (i: { value: number; low: number; high: number }) =>
    `${formatMs(i.value)} (${formatMs(i.low)}–${formatMs(i.high)})`;
  if (t) lines.push(`${label("time to complete")}P50 ${q(t.p50)}  P90 ${q(t.p90)}  P99 ${q(t.p99)}`);
  else lines.push(`${label("time to complete")}— no simulated run completed`);
  const r = report.rollback_ms;
  if (r) lines.push(`${label("rollback time")}P50 ${formatMs(r.p50.value)}  P90 ${formatMs(r.p90.value)}`);
  lines.push("", s.bold("Time of every run (the rollbacks included)"), ...histogramLines(report));
  lines.push("", s.bold("Bottlenecks"));
  lines.push(
    table(
      ["step", "time", "", "critical path", "failures", "", "evidence"],
      report.bottlenecks.map((b, i) => {
        const step = m.steps[i];
        return [
          b.step,
          pct(b.time_share),
          bar(b.time_share, 12),
          pct(b.critical_share),
          pct(b.failure_share),
          bar(b.failure_share, 12),
          step ? `${step.observations} attempts (${step.source})` : "",
        ];
      }),
      s,
    ),
  );
  const w = report.what_if;
  if (w) {
    lines.push(
      "",
      s.bold(
        `What if (${w.runs_each} runs each; risk = P(rollback or pause)${w.deadline_ms !== null ? `, deadline ${formatMs(w.deadline_ms)}` : ""}, max risk ${pct(w.max_risk)}): the Pareto front`,
      ),
    );
    const front = w.points.filter((pt) => pt.pareto).sort((a, b) => (a.p90_ms ?? 0) - (b.p90_ms ?? 0));
    const rec = w.recommended;
    lines.push(
      table(
        ["batch_size", "max_failures", "P50", "P90", "risk", "failed targets", ""],
        front.map((pt) => [
          String(pt.batch_size),
          String(pt.max_failures),
          formatMs(pt.p50_ms ?? Number.NaN),
          formatMs(pt.p90_ms ?? Number.NaN),
          pct(pt.risk),
          pt.expected_failed_targets.toFixed(1),
          rec && rec.batch_size === pt.batch_size && rec.max_failures === pt.max_failures
            ? "← recommended"
            : "",
        ]),
        s,
      ),
    );
    if (rec) {
      const pt = w.points.find((x) => x.batch_size === rec.batch_size && x.max_failures === rec.max_failures);
      lines.push(
        s.green(
          `  recommended: batch_size ${rec.batch_size}, max_failures ${rec.max_failures} — P90 ${formatMs(pt?.p90_ms ?? Number.NaN)} at ${pct(pt?.risk ?? 0)} risk`,
        ),
      );
    } else
      lines.push(
        s.yellow(
          "  no batch_size / max_failures meets the deadline within the risk: allow more time (--deadline) or more risk (--max-risk)",
        ),
      );
  }
  return `${lines.join("\n")}\n`;
}
