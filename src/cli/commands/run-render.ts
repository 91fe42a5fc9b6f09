import { type Diagnosis, failureJson, type RunStatus } from "../../operations/index.ts";
// The file, not the engine's door: rendering a run must not load the engine.
import type { Style } from "../output.ts";
import { runStatusText, targetStatusText } from "../run-status.ts";
import type { RunOutcome } from "../runs/index.ts";

/** The exit codes of a run (docs/operations.md, "Exit codes"). */
export function runExitCode(status: RunStatus): number {
  switch (status) {
    case "succeeded":
      return 0;
    // Paused (on_failure: pause) leaves changes in place for a human to resume or undo, like an
    // incomplete rollback: never 1, which promises the state is back.
    case "rollback_incomplete":
    case "paused":
      return 2;
    case "refused":
      return 3;
    default:
      return 1;
  }
}

/** A run's outcome as `--json` prints it: failures shaped as the API shows them (`reason`, kind, phase, code). */
export function outcomeJson(result: RunOutcome): unknown {
  return {
    ...result,
    targets: result.targets.map((t) => (t.failure ? { ...t, failure: failureJson(t.failure) } : t)),
    ...(result.failure ? { failure: failureJson(result.failure) } : {}),
  };
}

/** The most likely cause of a failed run, from its stored diagnosis, as a few lines. */
export function likelyCause(diagnosis: Diagnosis | undefined, s: Style): string[] {
  const top = diagnosis?.causes[0];
  if (!top) return [];
  const lines = [s.bold(`  most likely: ${top.title}`)];
  for (const e of top.evidence.slice(0, 2)) lines.push(`    ${e}`);
  lines.push(`    → ${top.recovery.action}${top.recovery.command ? `: ${top.recovery.command}` : ""}`);
  return lines;
}

export function describeRun(result: RunOutcome, s: Style, diagnosis?: Diagnosis): string {
  const lines = [
    `run ${s.bold(result.id)}: ${runStatusText(result.status, result.failure !== undefined, s)}`,
  ];
  for (const t of result.targets)
    lines.push(
      `  ${t.name}: ${targetStatusText(t.status, t.failure !== undefined, s)}${t.failure ? ` — ${t.failure.step}: ${t.failure.message}` : ""}`,
    );
  for (const u of result.unrestored) lines.push(s.red(`  not restored: ${u.target}/${u.step}: ${u.reason}`));
  lines.push(...likelyCause(diagnosis, s));
  const next = nextSteps(result);
  if (next) lines.push(s.dim(next));
  return lines.join("\n");
}

/** What a user can do next with a run that did not succeed, as the status allows it. */
export function nextSteps(result: Pick<RunOutcome, "id" | "status">): string | undefined {
  const show = `opsdojo runs show ${result.id} shows the journal`;
  switch (result.status) {
    case "succeeded":
    case "committed":
      return undefined;
    case "refused":
      return `${show}; nothing was changed`;
    case "rolled_back":
      return `${show}; every change is undone`;
    case "paused":
      return `${show}; opsdojo runs resume ${result.id} continues it, opsdojo runs undo ${result.id} undoes it`;
    default:
      return `${show}; opsdojo runs undo ${result.id} undoes what is left (again, if it was tried)`;
  }
}
