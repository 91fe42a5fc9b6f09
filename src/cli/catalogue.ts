import type { Command } from "commander";
import type { Session } from "./context.ts";
import type { Runner } from "./runner.ts";

/** Builds one top-level command with its subcommands, options and actions. */
export type CommandFactory = (session: Session, run: Runner) => Command;

/**
 * A top-level command as the program's help lists it, and where its code is. Only the command
 * that runs is loaded: `opsdojo --version` loads none, `opsdojo runs list` neither the server nor
 * the miner nor the AWS SDK. A test (catalogue.test.ts) loads each one and checks that it is
 * declared here as it is built, so the help never drifts from the commands.
 */
export interface CommandEntry {
  readonly name: string;
  readonly description: string;
  /** Its positional arguments as the help shows them, e.g. `<file>`. */
  readonly args?: readonly string[];
  /** A group of subcommands (`runs list`, …) rather than a command that runs itself. */
  readonly group?: boolean;
  readonly load: () => Promise<CommandFactory>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: "serve",
    description: "run the API server and the dashboard until Ctrl-C",
    load: async () => (await import("./commands/serve.ts")).serveCommand,
  },
  {
    name: "token",
    description: "create, list and revoke API tokens (on the store of this machine)",
    group: true,
    load: async () => (await import("./commands/token.ts")).tokenCommand,
  },
  {
    name: "services",
    description: "the service directory: list, show, register, remove",
    group: true,
    load: async () => (await import("./commands/services.ts")).servicesCommand,
  },
  {
    name: "openapi",
    description: "print the OpenAPI document of the full server",
    load: async () => (await import("./commands/openapi.ts")).openapiCommand,
  },
  {
    name: "conform",
    description: "check a service over HTTP against the API conventions (CB-01 … CB-30)",
    args: ["<base-url>"],
    load: async () => (await import("./commands/conform.ts")).conformCommand,
  },
  {
    name: "validate",
    description: "check an operation file (operation/v1) and report every problem with file:line:column",
    args: ["<file>"],
    load: async () => (await import("./commands/validate.ts")).validateCommand,
  },
  {
    name: "plan",
    description: "classify every step automatic | declared | planned | irreversible and preview its effects",
    args: ["<file>"],
    load: async () => (await import("./commands/plan.ts")).planCommand,
  },
  {
    name: "run",
    description: "run an operation file: journalled, verified, rolled back on failure",
    args: ["<file>"],
    load: async () => (await import("./commands/run.ts")).runCommand,
  },
  {
    name: "simulate",
    description:
      "simulate an operation from its journal: P(success), time P50/P90/P99, bottlenecks, best batch size",
    args: ["<file>"],
    load: async () => (await import("./commands/simulate.ts")).simulateCommand,
  },
  {
    name: "runs",
    description: "runs of operations: list, show, undo",
    group: true,
    load: async () => (await import("./commands/runs.ts")).runsCommand,
  },
  {
    name: "mine",
    description: "process mining from logs: templates, discovery, conformance, live deviations",
    group: true,
    load: async () => (await import("./commands/mine.ts")).mineCommand,
  },
  {
    name: "gameday",
    description: "game days: plan a scenario, play it (real faults, restored after), timeline, metrics",
    group: true,
    load: async () => (await import("./commands/gameday.ts")).gamedayCommand,
  },
  {
    name: "team",
    description: "game-day parties and people: members, balance, competence, GM rotation, interviews",
    group: true,
    load: async () => (await import("./commands/team.ts")).teamCommand,
  },
  {
    name: "actions",
    description: "postmortem action items: add, list, show (with their effect on re-runs), done, drop",
    group: true,
    load: async () => (await import("./commands/actions.ts")).actionsCommand,
  },
  {
    name: "survey",
    description:
      "team surveys: open a round with invitation codes, answer anonymously, results beside evidence",
    group: true,
    load: async () => (await import("./commands/survey.ts")).surveyCommand,
  },
  {
    name: "learn",
    description: "learning events, evidence per dimension, bus factors (the Brent report)",
    group: true,
    load: async () => (await import("./commands/learn.ts")).learnCommand,
  },
];

/** Program options that take a value: the command name is the first word that is not one of them. */
const VALUED = new Set(["--server", "--token"]);

/** The top-level command `argv` names, if any (`--server URL runs list` → runs). */
export function commandNameOf(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string;
    if (word === "--") return argv[i + 1];
    if (!word.startsWith("-")) return word;
    if (VALUED.has(word)) i++;
  }
  return undefined;
}
