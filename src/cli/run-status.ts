import type { Style } from "./output.ts";

/**
 * `rolled_back` is one status word for three different stories, told apart here for people
 * (the API and --json keep the word, so scripts are unchanged):
 *
 * - a run that failed and was rolled back by the engine (it has a failure): a warning;
 * - a run someone undid with `runs undo` (no failure): what was asked for;
 * - a target rolled back because its own step failed, or only because the run was rolled back
 *   (another target failed, or the run was undone).
 */
export function runStatusText(status: string, failed: boolean, s: Style): string {
  if (status !== "rolled_back") return colourOf(status, s)(status);
  return failed
    ? s.yellow("rolled_back (failed, every change undone)")
    : s.cyan("rolled_back (undone on request)");
}

export function targetStatusText(status: string, failedHere: boolean, s: Style): string {
  if (status !== "rolled_back") return colourOf(status, s)(status);
  return failedHere ? s.red("rolled_back (failed here)") : s.dim("rolled_back (undone with the run)");
}

function colourOf(status: string, s: Style): (t: string) => string {
  switch (status) {
    case "succeeded":
    case "committed":
      return s.green;
    case "failed":
    case "refused":
    case "rollback_incomplete":
    case "interrupted":
      return s.red;
    case "running":
    case "rolling_back":
    case "queued":
      return s.cyan;
    case "paused":
      return s.yellow;
    default:
      return (t) => t;
  }
}
