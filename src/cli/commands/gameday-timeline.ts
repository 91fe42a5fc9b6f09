import { Command } from "commander";
import { deriveMetrics, formatEntry, type TimelineEntry } from "../../gamedays/index.ts";
import type { GlobalOptions, Session } from "../context.ts";
import { type GamedaysBackend, withGamedays } from "../gamedays/index.ts";
import type { CommandResult } from "../output.ts";
import { table } from "../output.ts";
import type { Runner } from "../runner.ts";
import { describeMetrics, describeSession, sessionJson } from "./gameday-common.ts";

/** `gameday timeline SESSION [--follow]`: the one ordered stream of automatic and human entries. */
export async function showTimeline(gamedays: GamedaysBackend, id: string): Promise<CommandResult> {
  const record = await gamedays.get(id);
  const entries = await gamedays.entries(id);
  return {
    json: { items: entries },
    text: () => entries.map((e) => formatEntry(e, record.startedAt)).join("\n"),
  };
}

/** Prints entries as they are recorded (JSON lines under --json) until the session has ended. */
export async function followTimeline(session: Session, gamedays: GamedaysBackend, id: string): Promise<void> {
  const print = session.stdout ?? ((text: string) => void process.stdout.write(text));
  const startedAt = (await gamedays.get(id)).startedAt;
  const show = (e: TimelineEntry) =>
    print(`${session.json ? JSON.stringify(e) : formatEntry(e, startedAt)}\n`);
  let last = 0;
  for (;;) {
    const entries = await gamedays.entries(id, last);
    for (const e of entries) show(e);
    last = entries.at(-1)?.seq ?? last;
    const status = (await gamedays.get(id)).status;
    if (status === "ended" || status === "interrupted") {
      for (const e of await gamedays.entries(id, last)) show(e);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function listSessions(
  gamedays: GamedaysBackend,
  options: { scenario?: string },
): Promise<CommandResult> {
  const sessions = await gamedays.list(options.scenario);
  return {
    json: { items: sessions.map(sessionJson) },
    text: (s) =>
      sessions.length === 0
        ? "no game day sessions yet: opsdojo gameday start FILE --gm NAME starts one"
        : table(
            ["ID", "SCENARIO", "KIND", "STATUS", "STARTED", "END", "RESTORE"],
            sessions.map((x) => [
              x.id,
              x.scenario,
              x.kind,
              x.status,
              x.startedAt,
              x.endReason ?? "-",
              x.cleanRestore === null ? "-" : x.cleanRestore ? "clean" : "NOT clean",
            ]),
            s,
          ),
  };
}

export async function showSession(gamedays: GamedaysBackend, id: string): Promise<CommandResult> {
  const record = await gamedays.get(id);
  const metrics = deriveMetrics(await gamedays.entries(id));
  return {
    json: { ...sessionJson(record), metrics },
    text: (s) => `${describeSession(record, s)}\n${describeMetrics(metrics)}`,
  };
}

export function gamedayTimelineCommands(session: Session, run: Runner): Command[] {
  const timeline = new Command("timeline")
    .description("a session's timeline: automatic events and human entries in one numbered stream")
    .argument("<session>", "session id (gd_…)")
    .option("--follow", "keep printing entries as they are recorded, until the session has ended")
    .addHelpText(
      "after",
      "\nEach line: when, the offset from the start, the sequence number, the kind, who, what.\nfault.injected is stamped with the true instant the fault took effect.\n\nExit codes: 0, 1 no such session, 64 usage.\n\nExample:\n  opsdojo gameday timeline gd_01j… --follow\n",
    )
    .action((id: string, options: { follow?: boolean }, cmd: Command) =>
      run(async () => {
        const globals = cmd.optsWithGlobals<GlobalOptions>();
        if (!options.follow) return withGamedays(session, globals, (g) => showTimeline(g, id));
        const running = withGamedays(session, globals, (g) => followTimeline(session, g, id));
        return { json: null, text: () => "", raw: true, running };
      }),
    );
  const list = new Command("list")
    .description("game day sessions, newest first")
    .option("--scenario <name>", "only this scenario's sessions")
    .addHelpText(
      "after",
      "\nExit codes: 0, 64 usage.\n\nExample:\n  opsdojo gameday list --scenario broken-config\n",
    )
    .action((options: { scenario?: string }, cmd: Command) =>
      run(() => withGamedays(session, cmd.optsWithGlobals<GlobalOptions>(), (g) => listSessions(g, options))),
    );
  const show = new Command("show")
    .description("one session: status, faults with their runs and injection instants, metrics (--json)")
    .argument("<session>", "session id (gd_…)")
    .addHelpText(
      "after",
      "\nExit codes: 0, 1 no such session, 64 usage.\n\nExample:\n  opsdojo gameday show gd_01j… --json\n",
    )
    .action((id: string, _options: unknown, cmd: Command) =>
      run(() => withGamedays(session, cmd.optsWithGlobals<GlobalOptions>(), (g) => showSession(g, id))),
    );
  return [timeline, list, show];
}
