import { Command } from "commander";
import packageJson from "../../package.json" with { type: "json" };
import { actionsCommand } from "./commands/actions.ts";
import { conformCommand } from "./commands/conform.ts";
import { gamedayCommand } from "./commands/gameday.ts";
import { mineCommand } from "./commands/mine.ts";
import { openapiCommand } from "./commands/openapi.ts";
import { planCommand } from "./commands/plan.ts";
import { runCommand } from "./commands/run.ts";
import { runsCommand } from "./commands/runs.ts";
import { serveCommand } from "./commands/serve.ts";
import { servicesCommand } from "./commands/services.ts";
import { teamCommand } from "./commands/team.ts";
import { tokenCommand } from "./commands/token.ts";
import { validateCommand } from "./commands/validate.ts";
import type { Session } from "./context.ts";
import { UsageError } from "./errors.ts";
import { EXIT_CODE_SUMMARY } from "./exit-codes.ts";
import type { Runner } from "./runner.ts";

export interface HelpOutput {
  writeOut(text: string): void;
  writeErr(text: string): void;
}

const FOOTER = `
Environment:
  OPSDOJO_HOME          directory of the embedded store (default ~/.opsdojo)
  OPSDOJO_DATABASE_URL  postgres://… to use PostgreSQL instead
  OPSDOJO_URL           a server to talk to instead of the store (like --server)
  OPSDOJO_TOKEN         its bearer token (like --token)
  NO_COLOR              turn colour off

Exit codes: ${EXIT_CODE_SUMMARY} (see docs/getting-started.md).`;

/** The whole command line as data: commander parses, the commands' actions hand results to `run`. */
export function buildProgram(session: Session, run: Runner, output: HelpOutput): Command {
  const program = new Command("opsdojo")
    .description(
      "The practice hall of an operations team: undoable operations, game days and process mining\nbehind one consistent REST API.",
    )
    .version(packageJson.version, "-V, --version", "print the version")
    .option("--json", "print machine-readable JSON (lists are {items: [...]})")
    .option("--server <url>", "a server instead of the local store (env OPSDOJO_URL)")
    .option("--token <token>", "bearer token for --server (env OPSDOJO_TOKEN)")
    .addHelpText("after", FOOTER)
    .showSuggestionAfterError(true)
    // Program options only before the command name; after it they belong to the command. Without
    // this, `services register --version 1.2.0` would print opsdojo's own version.
    .enablePositionalOptions();
  program.addCommand(serveCommand(session, run));
  program.addCommand(tokenCommand(session, run));
  program.addCommand(servicesCommand(session, run));
  program.addCommand(openapiCommand(session, run));
  program.addCommand(conformCommand(session, run));
  program.addCommand(validateCommand(session, run));
  program.addCommand(planCommand(session, run));
  program.addCommand(runCommand(session, run));
  program.addCommand(runsCommand(session, run));
  program.addCommand(mineCommand(session, run));
  program.addCommand(gamedayCommand(session, run));
  program.addCommand(teamCommand(session, run));
  program.addCommand(actionsCommand(session, run));
  configure(program, output);
  return program;
}

/** Help and version are not failures: main prints what commander wrote and picks the exit code. */
const PASSED_THROUGH = new Set(["commander.helpDisplayed", "commander.version", "commander.help"]);

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

/**
 * Every (sub)command throws instead of exiting and writes nowhere but through main. Commands
 * that run take `--json` after their name too, and those that can talk to a server also
 * `--server` and `--token` (given before the command name, they belong to the program).
 */
function configure(command: Command, output: HelpOutput): void {
  if (command.commands.length === 0) {
    command.option("--json", "print machine-readable JSON");
    if (command.parent?.name() === "services") {
      command
        .option("--server <url>", "a server instead of the local store (env OPSDOJO_URL)")
        .option("--token <token>", "bearer token for --server (env OPSDOJO_TOKEN)");
    }
  }
  command
    .exitOverride((error) => {
      if (PASSED_THROUGH.has(error.code)) throw error;
      const message = error.message.replace(/^error:\s*/, "").replace(/\n\(/g, " (");
      throw new UsageError(message, commandPath(command));
    })
    .configureOutput({
      writeOut: output.writeOut,
      writeErr: output.writeErr,
      // main renders parse errors itself, with the exit code and a hint.
      outputError: () => {},
      getOutHelpWidth: () => 100,
      getErrHelpWidth: () => 100,
    })
    .helpOption("-h, --help", "show help")
    .helpCommand(false);
  for (const sub of command.commands) configure(sub, output);
}
