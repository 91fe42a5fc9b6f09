import { plural } from "../../core/index.ts";
import type { Diagnosis } from "./model.ts";

/** The bits of the CLI's style a diagnosis uses (colours off under NO_COLOR). */
export interface DiagnosisStyle {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
}

const plain: DiagnosisStyle = { bold: (t) => t, dim: (t) => t, red: (t) => t };

/** How many causes and context steps the text shows (all of them are in the JSON). */
const SHOWN_CAUSES = 3;
const SHOWN_CONTEXT = 12;

/**
 * A diagnosis as text for `opsdojo runs show`: the failure line, the ranked causes with their
 * evidence and recovery, then the probes, the deviation from history and the process context.
 */
export function formatDiagnosis(d: Diagnosis, s: DiagnosisStyle = plain): string {
  const lines = [s.bold("diagnosis"), `  ${s.red(d.summary)}`];
  if (d.causes.length > 0) lines.push("  likely causes, most likely first:");
  for (const [i, c] of d.causes.slice(0, SHOWN_CAUSES).entries()) {
    lines.push(`  ${i + 1}. ${s.bold(c.title)} ${s.dim(`(score ${c.score.toFixed(2)})`)}`);
    for (const e of c.evidence) lines.push(`     evidence: ${e}`);
    lines.push(`     recovery (${c.recovery.kind}): ${c.recovery.action}`);
    if (c.recovery.command) lines.push(`       ${c.recovery.command}`);
  }
  if (d.causes.length > SHOWN_CAUSES)
    lines.push(s.dim(`  … ${plural(d.causes.length - SHOWN_CAUSES, "less likely cause")} in --json`));
  if (d.probes.length > 0) {
    lines.push("  diagnostic checks run:");
    for (const p of d.probes) lines.push(`    ${p.ok ? "ok  " : "FAIL"} ${p.question} → ${p.answer}`);
  }
  lines.push("  compared with earlier runs:");
  for (const n of d.deviation.notes) lines.push(`    ${n}`);
  const before = d.context.filter((c) => !c.failed_here);
  if (before.length > 0) {
    lines.push("  what the run did before it failed:");
    for (const c of before.slice(0, SHOWN_CONTEXT)) {
      lines.push(
        `    ${c.target}/${c.step} (${c.action}, ${c.state}): ${c.summary}${c.effect ? ` — ${c.effect}` : ""}`,
      );
    }
    if (before.length > SHOWN_CONTEXT)
      lines.push(s.dim(`    … ${before.length - SHOWN_CONTEXT} more in --json`));
  }
  for (const u of d.unrestored) lines.push(s.red(`  not restored: ${u.target}/${u.step}: ${u.reason}`));
  return lines.join("\n");
}
