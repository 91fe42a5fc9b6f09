import { Command } from "commander";
import type { Session } from "../context.ts";
import type { Runner } from "../runner.ts";
import type { RunsModelOptions } from "./runs-model.ts";

/** `opsdojo runs model`, declared. */
export function runsModelCommand(session: Session, run: Runner): Command {
  return new Command("model")
    .description("an operation's completed runs as a process model (activities: step:outcome; cases: runs)")
    .argument("<operation>", "the operation's name (inside its file)")
    .option("--format <format>", "json, dot, svg, pnml or bpmn (default: from --out's extension, else json)")
    .option("--out <file>", "write the model to this file and print a summary instead")
    .addHelpText(
      "after",
      [
        "",
        "Activities are step outcomes (deploy:done, deploy:retried, deploy:failed, deploy:undone); a case is",
        "what one run did to one target. Once an operation has enough completed runs (docs/operations.md), each",
        "new run is checked against them live: a step skipped, retried more than ever before or slower than P99",
        "of its history is a run.deviation event on the run's stream.",
        "",
        "Examples:",
        "  opsdojo runs model roll-app-config --format svg > roll.svg",
        "  opsdojo runs model roll-app-config --out roll.pnml",
        "",
      ].join("\n"),
    )
    .action((operation: string, options: RunsModelOptions) =>
      // The miner loads only when a model is asked for (not for `runs list`).
      run(async () => (await import("./runs-model.ts")).runsModel(session, operation, options)),
    );
}
