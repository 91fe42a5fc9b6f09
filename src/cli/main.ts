import { CommanderError } from "commander";
import type { Session, StatusStream } from "./context.ts";
import { describeFailure, EXIT_CODES } from "./exit-codes.ts";
import { guardLocalOnly } from "./local-only.ts";
import { type CommandResult, renderFailure, renderResult, renderWarning, styleFor } from "./output.ts";
import { buildProgram } from "./program.ts";

/** Where main writes; the process's streams unless a caller (a test) passes its own. */
export interface MainIo {
  readonly env: NodeJS.ProcessEnv;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether colour may be used on each stream. */
  readonly colour: { readonly stdout: boolean; readonly stderr: boolean };
  /** Where progress of long work goes (stderr on a terminal); absent to show none. */
  readonly progress?: (line: string) => void;
  /** Where live views go (stderr): redrawn when it is a terminal. */
  readonly status?: StatusStream;
}

/**
 * Writes to a stream until its reader goes away. `opsdojo … | head` closes the pipe early: that is
 * the reader's choice, not a failure, so the rest of the output is dropped quietly (no EPIPE stack
 * trace) and the command still finishes what it was doing — a run is not cut short by its reader.
 */
export function pipeWriter(stream: NodeJS.WritableStream): (text: string) => void {
  let open = true;
  stream.on("error", (error: NodeJS.ErrnoException) => {
    open = false;
    if (error.code === "EPIPE") return;
    // Anything else (a full disk behind `> file`) is a failure the caller must see.
    if (stream !== process.stderr)
      process.stderr.write(`opsdojo: the output could not be written (${error.code})\n`);
    process.once("exit", () => {
      process.exitCode = EXIT_CODES.failed;
    });
  });
  return (text) => {
    if (open) stream.write(text);
  };
}

const processIo = (): MainIo => ({
  env: process.env,
  stdout: pipeWriter(process.stdout),
  stderr: pipeWriter(process.stderr),
  colour: { stdout: colourOn(process.stdout), stderr: colourOn(process.stderr) },
  ...(process.stderr.isTTY ? { progress: (line: string) => void process.stderr.write(`${line}\n`) } : {}),
  status: {
    tty: process.stderr.isTTY === true,
    colour: colourOn(process.stderr),
    columns: process.stderr.columns ?? 100,
    write: (text) => void process.stderr.write(text),
  },
});

/**
 * The `opsdojo` command. The only function that prints: commands return results, this renders
 * them as text or JSON, and turns any error into a message and an exit code (exit-codes.ts).
 *
 * @example
 * process.exitCode = await main(["services", "list", "--json"]);
 */
export async function main(argv: string[], io: MainIo = processIo()): Promise<number> {
  const quiet = argv.includes("--json");
  const session: Session = {
    env: io.env,
    warnings: [],
    ...(io.progress && !quiet ? { progress: io.progress } : {}),
    stdout: io.stdout,
    json: quiet,
    ...(io.status && !quiet ? { status: io.status } : {}),
  };
  let result: CommandResult | undefined;
  const help = { out: "", err: "" };
  const program = await buildProgram(
    argv,
    session,
    async (task) => {
      result = await task();
    },
    {
      writeOut: (s) => {
        help.out += s;
      },
      writeErr: (s) => {
        help.err += s;
      },
    },
  );
  const out = styleFor(io.colour.stdout);
  const err = styleFor(io.colour.stderr);
  // Known before parsing, so that even a parse error can be reported as JSON.
  let json = argv.includes("--json");
  const flushWarnings = () => {
    for (const w of session.warnings.splice(0)) io.stderr(renderWarning(w, err));
  };
  const fail = (error: unknown): number => {
    flushWarnings();
    const failure = describeFailure(error);
    io.stderr(renderFailure(failure, json, err));
    return failure.exitCode;
  };

  program.hook("preAction", (_program, command) => {
    json = command.optsWithGlobals<{ json?: boolean }>().json === true;
    guardLocalOnly(command, io.env);
  });
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version") {
        io.stdout(help.out);
        return EXIT_CODES.ok;
      }
      if (error.code === "commander.help") {
        // `opsdojo` or `opsdojo services` without a subcommand: show what exists, but it is not success.
        io.stderr(help.err || help.out);
        return EXIT_CODES.usage;
      }
    }
    return fail(error);
  }
  if (result === undefined) return EXIT_CODES.ok;
  io.stdout(renderResult(result, json, out));
  flushWarnings();
  if (result.running) {
    try {
      await result.running;
    } catch (error) {
      return fail(error);
    }
  }
  return result.exitCode ?? EXIT_CODES.ok;
}

function colourOn(stream: NodeJS.WriteStream): boolean {
  const env = process.env;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return true;
  return stream.isTTY === true && env.TERM !== "dumb";
}
