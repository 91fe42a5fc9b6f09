import { describe, expect, it } from "vitest";
import { COMMANDS, commandNameOf } from "./catalogue.ts";
import type { Session } from "./context.ts";
import { buildProgram } from "./program.ts";

const session: Session = { env: {}, warnings: [] };
const quiet = { writeOut: () => {}, writeErr: () => {} };
const noRun = async () => {};

describe("the command catalogue", () => {
  it("declares every command as it is built: the help is the same whichever command is loaded", async () => {
    const declaredOnly = (await buildProgram([], session, noRun, quiet)).helpInformation();
    for (const entry of COMMANDS) {
      const program = await buildProgram([entry.name], session, noRun, quiet);
      const built = program.commands.find((c) => c.name() === entry.name);
      // Loaded for real: a group has its subcommands, a command its options (at least --json).
      if (entry.group) expect(built?.commands.length, entry.name).toBeGreaterThan(0);
      else expect(built?.options.length, entry.name).toBeGreaterThan(0);
      expect(program.helpInformation(), entry.name).toBe(declaredOnly);
    }
  }, 120_000);

  it("finds the command name after program options and their values", () => {
    expect(commandNameOf(["runs", "list"])).toBe("runs");
    expect(commandNameOf(["--server", "http://x", "--token", "t", "--json", "runs", "list"])).toBe("runs");
    expect(commandNameOf(["--version"])).toBeUndefined();
    expect(commandNameOf(["--", "mine"])).toBe("mine");
  });
});
