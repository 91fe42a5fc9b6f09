import { Command } from "commander";
import {
  HUMAN_KINDS,
  type HumanKind,
  isHumanKind,
  requestEnd,
  requestRelease,
} from "../../gamedays/index.ts";
import type { GlobalOptions, Session } from "../context.ts";
import { UsageError } from "../errors.ts";
import { type GamedaysBackend, withGamedays } from "../gamedays/index.ts";
import type { CommandResult } from "../output.ts";
import type { Runner } from "../runner.ts";
import { describeSession, sessionExitCode, sessionJson, withGameday } from "./gameday-common.ts";

/** `gameday note SESSION TEXT`: a human entry on the timeline, stamped now (here or on the server). */
export function addNote(
  session: Session,
  globals: GlobalOptions,
  id: string,
  text: string,
  options: { kind?: string; by?: string },
): Promise<CommandResult> {
  const kind = options.kind ?? "note";
  if (!isHumanKind(kind)) {
    throw new UsageError(
      `--kind takes one of ${HUMAN_KINDS.join(", ")}, not "${kind}"`,
      "opsdojo gameday note",
    );
  }
  if (text.trim() === "") throw new UsageError("the note has no text", "opsdojo gameday note");
  return withGamedays(session, globals, (gamedays) => writeNote(gamedays, id, kind, text, options.by));
}

/** The entry written, as `gameday note` prints it (kind and text checked by `addNote`). */
export async function writeNote(
  gamedays: GamedaysBackend,
  id: string,
  kind: HumanKind,
  text: string,
  by: string | undefined,
): Promise<CommandResult> {
  const entry = await gamedays.note(id, { kind, by: by ?? null, text });
  return {
    json: entry,
    text: (s) => `#${entry.seq} ${s.bold(kind)} at ${entry.at}${entry.by ? ` by ${entry.by}` : ""}`,
  };
}

/** `gameday mark SESSION ENTRY --correct|--wrong`: the GM's verdict on a hypothesis. */
export function markEntry(
  session: Session,
  globals: GlobalOptions,
  id: string,
  entry: string,
  options: { correct?: boolean; wrong?: boolean },
): Promise<CommandResult> {
  const seq = Number(entry.replace(/^#/, ""));
  if (!Number.isInteger(seq) || seq < 1) {
    throw new UsageError(
      `ENTRY is a timeline sequence number such as 7, not "${entry}"`,
      "opsdojo gameday mark",
    );
  }
  if (options.correct === options.wrong) {
    throw new UsageError("give exactly one of --correct or --wrong", "opsdojo gameday mark");
  }
  const correct = options.correct === true;
  return withGamedays(session, globals, (gamedays) => writeMark(gamedays, id, seq, correct));
}

/** The entry marked, as `gameday mark` prints it. */
export async function writeMark(
  gamedays: GamedaysBackend,
  id: string,
  seq: number,
  correct: boolean,
): Promise<CommandResult> {
  const marked = await gamedays.mark(id, seq, correct);
  return {
    json: marked,
    text: (s) =>
      `hypothesis #${seq} marked ${marked.correct ? s.green("correct") : s.yellow("wrong")}: ${marked.text}`,
  };
}

/** `gameday release SESSION ID`: the running session releases the inject or hint at its next check. */
export function releaseItem(
  session: Session,
  id: string,
  item: string,
  options: { by?: string },
): Promise<CommandResult> {
  return withGameday(session, async (_store, repo) => {
    const command = await requestRelease(repo, id, item, options.by ?? null);
    return {
      json: { session: id, command, release: item },
      text: () => `${item} will be released at the session's next check`,
    };
  });
}

/** `gameday end SESSION`: the GM's word; the running session ends and restores everything. */
export function endSession(
  session: Session,
  id: string,
  options: { resolved?: boolean; by?: string; wait?: boolean },
): Promise<CommandResult> {
  return withGameday(session, async (_store, repo) => {
    const command = await requestEnd(repo, id, options.resolved === true, options.by ?? null);
    if (!options.wait) {
      return {
        json: { session: id, command, resolved: options.resolved === true },
        text: () =>
          `session ${id} will end${options.resolved ? " as resolved" : ""} at its next check, then restore every fault (--wait waits for that)`,
      };
    }
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const now = await repo.get(id);
      if (now.status === "ended" || now.status === "interrupted") {
        return {
          json: sessionJson(now),
          text: (s) => describeSession(now, s),
          exitCode: sessionExitCode(now),
        };
      }
    }
  });
}

export function gamedayNoteCommands(session: Session, run: Runner): Command[] {
  const note = new Command("note")
    .description(
      "write an entry on a session's timeline (ack, hypothesis, action, mitigated, resolved, note)",
    )
    .argument("<session>", "session id (gd_…)")
    .argument("<text>", "what happened, what you think, what you did")
    .option("--kind <kind>", `one of ${HUMAN_KINDS.join(", ")}`, "note")
    .option("--by <name>", "who writes it")
    .addHelpText(
      "after",
      '\nExit codes: 0 written, 1 no such session, 64 usage.\n\nExample:\n  opsdojo gameday note gd_01j… "app-1 returns 500 on /health" --kind ack --by bob\n',
    )
    .action((id: string, text: string, options: { kind?: string; by?: string }, cmd: Command) =>
      run(() => addNote(session, cmd.optsWithGlobals<GlobalOptions>(), id, text, options)),
    );
  const mark = new Command("mark")
    .description("the GM's verdict on a hypothesis: correct or wrong")
    .argument("<session>", "session id (gd_…)")
    .argument("<entry>", "the hypothesis's sequence number on the timeline")
    .option("--correct", "the hypothesis is right")
    .option("--wrong", "the hypothesis is wrong")
    .addHelpText(
      "after",
      "\nExit codes: 0 marked, 1 no such session or entry (or not a hypothesis), 64 usage.\n\nExample:\n  opsdojo gameday mark gd_01j… 9 --correct\n",
    )
    .action((id: string, entry: string, options: { correct?: boolean; wrong?: boolean }, cmd: Command) =>
      run(() => markEntry(session, cmd.optsWithGlobals<GlobalOptions>(), id, entry, options)),
    );
  const release = new Command("release")
    .description("release an inject or hint now instead of at its time (the GM's call)")
    .argument("<session>", "session id (gd_…)")
    .argument("<id>", "the inject's or hint's name, or inject-N / hint-N")
    .option("--by <name>", "who releases it")
    .addHelpText(
      "after",
      "\nExit codes: 0 handed to the running session, 1 no such session or item, or the session is not running, 64 usage.\n\nExample:\n  opsdojo gameday release gd_01j… hint-1 --by alice\n",
    )
    .action((id: string, item: string, options: { by?: string }) =>
      run(() => releaseItem(session, id, item, options)),
    );
  const end = new Command("end")
    .description("end a running session (the GM's word); it then undoes every fault")
    .argument("<session>", "session id (gd_…)")
    .option(
      "--resolved",
      "the party resolved it (time to resolve is measured to now, or to when the objectives recovered)",
    )
    .option("--by <name>", "who ends it")
    .option("--wait", "wait until the session has ended and restored, and print it")
    .addHelpText(
      "after",
      "\nExit codes: 0 handed to the session (with --wait: ended and restored cleanly), 1 no such session or not running,\n2 with --wait: ended but the restore was not clean, 64 usage.\n\nExample:\n  opsdojo gameday end gd_01j… --resolved --by alice --wait\n",
    )
    .action((id: string, options: { resolved?: boolean; by?: string; wait?: boolean }) =>
      run(() => endSession(session, id, options)),
    );
  return [note, mark, release, end];
}
