import type { RunStatus } from "../journal/index.ts";
import type { Candidate } from "./causes.ts";
import type { Recovery } from "./model.ts";

export interface RecoveryContext {
  readonly runId: string;
  readonly status: RunStatus;
  readonly operation: string;
  readonly params: Readonly<Record<string, unknown>>;
}

function quote(value: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]*$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}

/** `opsdojo run FILE --param k=v …` with this run's params (FILE: the operation's file). */
export function rerunCommand(params: Readonly<Record<string, unknown>>): string {
  const args = Object.entries(params).map(([k, v]) => ` --param ${quote(`${k}=${String(v)}`)}`);
  return `opsdojo run FILE${args.join("")}`;
}

/**
 * What to do about a cause, given where the run stopped: a paused run is fixed and resumed (or
 * undone), an incomplete rollback is undone again once fixed, a run that was rolled back or
 * refused changed nothing left to undo, so it is fixed and run again.
 */
export function recoveryFor(cause: Candidate, ctx: RecoveryContext): Recovery {
  const file = cause.id === "bad_reference" || cause.id === "invalid_input";
  const rerun = `${rerunCommand(ctx.params)}   # FILE: the ${ctx.operation} operation file`;
  switch (ctx.status) {
    case "paused":
      if (file) {
        return {
          kind: "undo",
          action: `${cause.fix}; a paused run keeps its operation text, so undo it and run the corrected file`,
          command: `opsdojo runs undo ${ctx.runId}`,
        };
      }
      return {
        kind: cause.transient ? "retry" : "fix-and-resume",
        action: cause.transient
          ? `${cause.fix}; the run is paused with its changes in place: resume it (or undo it with opsdojo runs undo ${ctx.runId})`
          : `${cause.fix}; then resume the paused run where it stopped (or undo it with opsdojo runs undo ${ctx.runId})`,
        command: `opsdojo runs resume ${ctx.runId}`,
      };
    case "rollback_incomplete":
      return {
        kind: "undo",
        action: `${cause.fix}; then finish the rollback (what could not be restored is listed with the run)`,
        command: `opsdojo runs undo ${ctx.runId}`,
      };
    default: {
      const nothingLeft =
        ctx.status === "refused"
          ? "nothing was changed"
          : ctx.status === "failed"
            ? "the failed targets were undone"
            : "the run's changes were undone";
      if (file)
        return {
          kind: "fix-the-file",
          action: `${cause.fix}; ${nothingLeft}, so run it again`,
          command: rerun,
        };
      return {
        kind: cause.transient ? "retry" : "fix-and-rerun",
        action: cause.transient
          ? `${cause.fix}; ${nothingLeft}: run it again`
          : `${cause.fix}; ${nothingLeft}, so run it again`,
        command: rerun,
      };
    }
  }
}
