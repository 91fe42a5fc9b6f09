import type { ConformanceReport, Evidence, RuleResult } from "../model.ts";

/** Colours the caller chooses (none for files, logs and NO_COLOR). */
export interface Paint {
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly red: (s: string) => string;
  readonly green: (s: string) => string;
  readonly yellow: (s: string) => string;
}

const plain = (s: string) => s;
export const NO_PAINT: Paint = { bold: plain, dim: plain, red: plain, green: plain, yellow: plain };

function mark(r: RuleResult, pc: Paint): string {
  return r.verdict === "pass"
    ? pc.green("✔ pass")
    : r.verdict === "fail"
      ? pc.red("✘ fail")
      : pc.yellow("– skip");
}

function evidenceLines(e: Evidence, pc: Paint): string[] {
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

export function resultLine(r: RuleResult, pc: Paint = NO_PAINT): string {
  return `${mark(r, pc)}  ${pc.bold(r.rule)} ${pc.dim(r.level.padEnd(6))} ${r.reason}`;
}

/** For people at a terminal: one line per rule, evidence under each failure. */
export function formatText(
  report: ConformanceReport,
  options: { verbose?: boolean; paint?: Paint } = {},
): string {
  const pc = options.paint ?? NO_PAINT;
  const out: string[] = [pc.bold(`Conformance of ${report.base_url} to the opsdojo API conventions`), ""];
  for (const r of report.results) {
    out.push(resultLine(r, pc));
    const problems = r.problems ?? [];
    if (r.verdict === "fail" && problems.length > 0) {
      // Every problem with its own evidence; the rule's evidence only when none carries any.
      for (const p of problems) {
        // One problem is the result's reason already: only its evidence goes under it.
        if (problems.length > 1)
          out.push(
            `  ${pc.red("•")} ${p.reason}${p.pointer !== undefined ? pc.dim(`  at ${p.pointer}`) : ""}`,
          );
        if (p.evidence) out.push(...evidenceLines(p.evidence, pc));
      }
      if (problems.every((p) => p.evidence === undefined))
        for (const e of r.evidence) out.push(...evidenceLines(e, pc));
    } else if (r.verdict === "fail" || (options.verbose && r.evidence.length > 0)) {
      for (const e of r.evidence) out.push(...evidenceLines(e, pc));
    }
    if (r.hint) out.push(`    ${pc.bold("fix:")} ${r.hint} ${pc.dim(`(${r.link})`)}`);
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
  const c = report.coverage;
  if (c)
    out.push(
      `Generated requests (CB-30): ${c.generated}, of which ${c.valid} valid; ${c.reached} reached a handler, ${c.refused} were refused by validation`,
    );
  if (c?.warning) out.push(pc.yellow(`warning: ${c.warning}`));
  if (report.left_behind !== undefined && report.left_behind.length > 0) {
    out.push(pc.red(`Created and not deleted (remove by hand): ${report.left_behind.join(", ")}`));
  }
  return out.join("\n");
}
