import { Command } from "commander";
import { deriveMetrics, formatEntry, listEntries, type TimelineEntry } from "../../gamedays/index.ts";
import type { Session } from "../context.ts";
import type { CommandResult } from "../output.ts";
import { table } from "../output.ts";
import type { Runner } from "../runner.ts";
import { describeMetrics, describeSession, sessionJson, withGameday } from "./gameday-common.ts";

/** `gameday timeline SESSION [--follow]`: the one ordered stream of automatic and human entries. */
export function showTimeline(
  session: Session,
  id: string,
  options: { follow?: boolean },
): Promise<CommandResult> {
  if (options.follow) return followTimeline(session, id);
  return withGameday(session, async (store, repo) => {
    const record = await repo.get(id);
    const entries = await listEntries(store.db, id);
    return {
      json: { items: entries },
      text: () => entries.map((e) => formatEntry(e, record.startedAt)).join("\n"),
    };
  });
}

/** Prints entries as they are recorded (JSON lines under --json) until the session has ended. */
function followTimeline(session: Session, id: string): Promise<CommandResult> {
  const print = session.stdout ?? ((text: string) => void process.stdout.write(text));
  const running = withGameday(session, async (store, repo) => {
    const startedAt = (await repo.get(id)).startedAt;
    const show = (e: TimelineEntry) =>
      print(`${session.json ? JSON.stringify(e) : formatEntry(e, startedAt)}\n`);
    let last = 0;
    for (;;) {
      const entries = await listEntries(store.db, id, last);
      for (const e of entries) show(e);
      last = entries.at(-1)?.seq ?? last;
      const status = (await repo.get(id)).status;
      if (status === "ended" || status === "interrupted") {
        for (const e of await listEntries(store.db, id, last)) show(e);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  });
  return Promise.resolve({ json: null, text: () => "", raw: true, running });
}

export function listSessions(session: Session, options: { scenario?: string }): Promise<CommandResult> {
  return withGameday(session, async (_store, repo) => {
    const sessions = await repo.list(options.scenario ? { scenario: options.scenario } : {});
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
  });
}

export function showSession(session: Session, id: string): Promise<CommandResult> {
  return withGameday(session, async (store, repo) => {
    const record = await repo.get(id);
    const metrics = deriveMetrics(await listEntries(store.db, id));
    return {
      json: { ...sessionJson(record), metrics },
      text: (s) => `${describeSession(record, s)}\n${describeMetrics(metrics)}`,
    };
  });
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
    .action((id: string, options: { follow?: boolean }) => run(() => showTimeline(session, id, options)));
  const list = new Command("list")
    .description("game day sessions, newest first")
    .option("--scenario <name>", "only this scenario's sessions")
    .addHelpText(
      "after",
      "\nExit codes: 0, 64 usage.\n\nExample:\n  opsdojo gameday list --scenario broken-config\n",
    )
    .action((options: { scenario?: string }) => run(() => listSessions(session, options)));
  const show = new Command("show")
    .description("one session: status, faults with their runs and injection instants, metrics (--json)")
    .argument("<session>", "session id (gd_…)")
    .addHelpText(
      "after",
      "\nExit codes: 0, 1 no such session, 64 usage.\n\nExample:\n  opsdojo gameday show gd_01j… --json\n",
    )
    .action((id: string) => run(() => showSession(session, id)));
  return [timeline, list, show];
}
