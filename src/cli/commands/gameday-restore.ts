import { Command } from "commander";
import { systemClock } from "../../core/index.ts";
import { restoreSession } from "../../gamedays/index.ts";
import type { Session } from "../context.ts";
import type { CommandResult } from "../output.ts";
import type { Runner } from "../runner.ts";
import { describeSession, sessionExitCode, sessionJson, withGameday } from "./gameday-common.ts";

/** `gameday restore SESSION`: undo the faults of a session left open by a crash, from the journal. */
export function restoreGameday(session: Session, id: string): Promise<CommandResult> {
  return withGameday(session, async (store) => {
    const restored = await restoreSession(store, systemClock, id);
    // The warning about this session, added on the way in, no longer holds.
    const stale = session.warnings.findIndex((w) => w.includes(` ${id} `));
    if (stale >= 0) session.warnings.splice(stale, 1);
    return {
      json: sessionJson(restored),
      text: (s) => describeSession(restored, s),
      exitCode: sessionExitCode(restored),
    };
  });
}

export function gamedayRestoreCommand(session: Session, run: Runner): Command {
  return new Command("restore")
    .description(
      "undo every fault of a session left open by a crash (or not cleanly restored), from the journal",
    )
    .argument("<session>", "session id (gd_…)")
    .addHelpText(
      "after",
      "\nIdempotent: faults already undone are left alone. A session restored cleanly is left as it is.\n\nExit codes: 0 restored cleanly, 1 no such session or it is still running elsewhere, 2 the restore\nwas not clean (see the timeline), 64 usage.\n\nExample:\n  opsdojo gameday restore gd_01j…\n",
    )
    .action((id: string) => run(() => restoreGameday(session, id)));
}
