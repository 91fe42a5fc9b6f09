import { Command } from "commander";
import packageJson from "../../package.json" with { type: "json" };
import { COMMANDS, type CommandEntry, commandNameOf } from "./catalogue.ts";
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

/**
 * The whole command line as data: commander parses, the commands' actions hand results to `run`.
 * Only the command `argv` names is built (and its code loaded); the others are declared from
 * the catalogue, enough for the help and for suggestions after a typo.
 */
export async function buildProgram(
  argv: readonly string[],
  session: Session,
  run: Runner,
  output: HelpOutput,
): Promise<Command> {
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
  const named = commandNameOf(argv);
  for (const entry of COMMANDS) {
    program.addCommand(entry.name === named ? (await entry.load())(session, run) : declared(entry));
  }
  configure(program, output);
  return program;
}

/** Group stubs have no subcommands yet but must not be mistaken for commands that run. */
const GROUP_STUBS = new WeakSet<Command>();

/** A command as the catalogue declares it: its name, arguments and description, no code. */
export function declared(entry: CommandEntry): Command {
  const command = new Command(entry.name).description(entry.description);
  for (const arg of entry.args ?? []) command.argument(arg);
  if (entry.group) GROUP_STUBS.add(command);
  return command;
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
  if (command.commands.length === 0 && !GROUP_STUBS.has(command)) {
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
