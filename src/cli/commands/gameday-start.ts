import { Command } from "commander";
import { systemClock } from "../../core/index.ts";
import {
  deriveMetrics,
  formatEntry,
  listEntries,
  loadScenario,
  type Player,
  startSession,
} from "../../gamedays/index.ts";
import { parseDuration } from "../../operations/index.ts";
import type { Session } from "../context.ts";
import { UsageError } from "../errors.ts";
import type { CommandResult } from "../output.ts";
import type { Runner } from "../runner.ts";
import {
  describeMetrics,
  describeSession,
  sessionExitCode,
  sessionJson,
  withGameday,
} from "./gameday-common.ts";

export interface StartOptions {
  readonly gm?: string;
  readonly player?: string[];
  readonly allowIrreversible?: boolean;
  readonly poll?: string;
}

function players(list: readonly string[]): Player[] {
  return list.map((p) => {
    const m = /^([^:\s]+):([a-z][a-z0-9_-]*)$/.exec(p);
    if (!m)
      throw new UsageError(
        `--player takes NAME:ROLE (e.g. bob:primary), not "${p}"`,
        "opsdojo gameday start",
      );
    return { name: m[1] as string, role: m[2] as string };
  });
}

/**
 * `gameday start FILE`: the session lives in this process until it ends and everything is
 * restored; other `gameday` commands talk to it through the store (notes, release, end).
 * Ctrl-C (or SIGTERM) is the GM's word: it ends the session, which is then restored.
 */
export async function startGameday(
  session: Session,
  file: string,
  options: StartOptions,
): Promise<CommandResult> {
  if (!options.gm)
    throw new UsageError("--gm NAME is required: who runs the session", "opsdojo gameday start");
  const cast = players(options.player ?? []);
  const pollMs = options.poll === undefined ? 1000 : parseDuration(options.poll);
  if (pollMs === undefined || pollMs < 100) {
    throw new UsageError(
      `--poll takes a duration of 100ms or more, not "${options.poll}"`,
      "opsdojo gameday start",
    );
  }
  const loaded = await loadScenario(file);
  return withGameday(session, async (store) => {
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    try {
      let startedAt: string | undefined;
      const status = session.status;
      const runner = await startSession(
        {
          loaded,
          gm: options.gm as string,
          players: cast,
          allowIrreversible: options.allowIrreversible === true,
        },
        {
          store,
          clock: systemClock,
          pollMs,
          signal: controller.signal,
          ...(status
            ? {
                onEntry: (e) => {
                  startedAt ??= e.at;
                  status.write(`${formatEntry(e, startedAt)}\n`);
                },
              }
            : {}),
        },
      );
      // The id first, while the session runs: the players need it for every other command.
      status?.write(
        `session ${runner.id} started (GM ${options.gm}): \`opsdojo gameday timeline ${runner.id} --follow\` in another terminal; Ctrl-C or \`opsdojo gameday end ${runner.id}\` ends it\n`,
      );
      const final = await runner.run();
      const metrics = deriveMetrics(await listEntries(store.db, runner.id));
      return {
        json: { ...sessionJson(final), metrics },
        text: (s) => `${describeSession(final, s)}\n${describeMetrics(metrics)}`,
        exitCode: sessionExitCode(final),
      };
    } finally {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
    }
  });
}

export function gamedayStartCommand(session: Session, run: Runner): Command {
  return new Command("start")
    .description("play a scenario: inject its faults on schedule, watch, and restore everything at the end")
    .argument("<file>", "YAML or JSON scenario file (scenario/v1)")
    .option("--gm <name>", "the game master running the session")
    .option(
      "--player <name:role>",
      "a player and the role they take; repeat for more",
      (v: string, prev?: string[]) => [...(prev ?? []), v],
    )
    .option("--allow-irreversible", "play faults with steps nothing can undo")
    .option("--poll <duration>", "how often objectives, stop conditions and commands are checked", "1s")
    .addHelpText(
      "after",
      `
The session runs in this process until it ends: all objectives pass again and stay passing
(resolved), the timebox runs out, a stop condition holds, or the GM ends it (\`gameday end\`, or
Ctrl-C here). Then every fault is undone and the objectives are checked once more. The timeline
is shown on stderr as it grows; --json prints the final session and its metrics.

Exit codes: 0 ended and restored cleanly, 2 ended but the restore was not clean, 3 refused
(invalid scenario, an irreversible fault, objectives failing before any fault), 64 usage.

Example:
  opsdojo gameday start examples/gamedays/broken-config/scenario.yaml --gm alice \\
    --player bob:primary --player carol:secondary
`,
    )
    .action((file: string, options: StartOptions) => run(() => startGameday(session, file, options)));
}
