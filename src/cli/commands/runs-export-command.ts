import { Command } from "commander";
import type { Session } from "../context.ts";
import type { Runner } from "../runner.ts";
import type { RunsExportOptions } from "./runs-export.ts";

/** `opsdojo runs export`, declared; its code is in runs-export.ts. */
export function runsExportCommand(session: Session, run: Runner): Command {
  return new Command("export")
    .description("every run's journal as an event log for process mining (XES or CSV)")
    .option("--format <format>", "xes (IEEE 1849) or csv (RFC 4180); default from the --out extension")
    .option("--operation <name>", "only runs of this operation")
    .option("--status <status>", "only runs with this status now (succeeded, rolled_back, …)")
    .option("--out <file>", "write the log to FILE instead of stdout (- is stdout)")
    .addHelpText(
      "after",
      [
        "",
        "One case per run and target (`<run id>/<target>`), one activity per step; undo steps are",
        'the activity "<step> (undo)". Lifecycle: start, complete, ate_abort. See docs/operations.md.',
        "",
        "Examples:",
        "  opsdojo runs export --format xes --out runs.xes",
        "  opsdojo runs export --operation roll-app-config --status rolled_back --format csv > rollbacks.csv",
        "",
        "--operation takes the name: inside the file (examples/operations/roll-config.yaml is roll-app-config).",
        "When no run matches a filter the log is still written, empty; stderr says so and the exit code is 1.",
        "",
      ].join("\n"),
    )
    .action((options: RunsExportOptions) =>
      // The exporter (and the engine it reads with) loads only when an export runs.
      run(async () => (await import("./runs-export.ts")).runsExport(session, options)),
    );
}
