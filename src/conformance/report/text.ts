import pc from "picocolors";
import type { ConformanceReport, Evidence, RuleResult } from "../model.ts";

const MARK = { pass: pc.green("✔ pass"), fail: pc.red("✘ fail"), skip: pc.yellow("– skip") } as const;

function evidenceLines(e: Evidence): string[] {
  const lines = [`    → ${e.request.method} ${e.request.url}${e.note ? pc.dim(`  (${e.note})`) : ""}`];
  for (const [k, v] of Object.entries(e.request.headers)) lines.push(pc.dim(`      ${k}: ${v}`));
  if (e.request.body) lines.push(pc.dim(`      ${e.request.body.split("\n")[0]}`));
  if (e.error) lines.push(`    ← ${pc.red(e.error)}`);
  if (e.response) {
    lines.push(`    ← ${e.response.status} ${pc.dim(`(${e.response.ms} ms)`)}`);
    for (const [k, v] of Object.entries(e.response.headers)) lines.push(pc.dim(`      ${k}: ${v}`));
    if (e.response.body) lines.push(pc.dim(`      ${e.response.body.replace(/\s+/g, " ").slice(0, 300)}`));
  }
  return lines;
}

export function resultLine(r: RuleResult): string {
  return `${MARK[r.verdict]}  ${pc.bold(r.rule)} ${pc.dim(r.level.padEnd(6))} ${r.reason}`;
}

/** For people at a terminal: one line per rule, evidence under each failure. */
export function formatText(report: ConformanceReport, options: { verbose?: boolean } = {}): string {
  const out: string[] = [pc.bold(`Conformance of ${report.base_url} to the opsdojo API conventions`), ""];
  for (const r of report.results) {
    out.push(resultLine(r));
    if (r.verdict === "fail" || (options.verbose && r.evidence.length > 0)) {
      for (const e of r.evidence) out.push(...evidenceLines(e));
    }
  }
  const s = report.summary;
  out.push("");
  out.push(
    `${pc.green(`${s.pass} passed`)}, ${s.fail > 0 ? pc.red(`${s.fail} failed`) : "0 failed"}, ${pc.yellow(`${s.skip} skipped`)} · ${report.requests} requests in ${(report.ms / 1000).toFixed(1)} s`,
  );
  out.push(
    s.must_failures.length > 0
      ? pc.red(`MUST rules failed: ${s.must_failures.join(", ")}`)
      : pc.green("every MUST rule that was checked passed"),
  );
  return out.join("\n");
}
