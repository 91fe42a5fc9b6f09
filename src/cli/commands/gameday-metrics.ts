import { Command } from "commander";
import {
  buildReport,
  deriveMetrics,
  formatOffset,
  listEntries,
  METRIC_NAMES,
  type SessionSummary,
  summarise,
  type TimelineEntry,
} from "../../gamedays/index.ts";
import type { Session } from "../context.ts";
import type { CommandResult, Style } from "../output.ts";
import { table } from "../output.ts";
import type { Runner } from "../runner.ts";
import { withGameday } from "./gameday-common.ts";

const ms = (v: number | null | undefined) => (v === null || v === undefined ? "-" : formatOffset(v));

/** `gameday metrics`: response times per session, and their trends per scenario and person. */
export function gamedayMetrics(
  session: Session,
  options: { scenario?: string; person?: string },
): Promise<CommandResult> {
  return withGameday(session, async (store, repo) => {
    const sessions = (await repo.list({ limit: 10_000 })).filter((s) => s.status === "ended");
    const timelines = new Map<string, TimelineEntry[]>();
    const summaries: SessionSummary[] = [];
    for (const s of sessions) {
      const entries = await listEntries(store.db, s.id);
      timelines.set(s.id, entries);
      summaries.push(summarise(s, deriveMetrics(entries)));
    }
    const report = buildReport(summaries, timelines, options);
    return { json: report, text: (s) => render(report, s) };
  });
}

function render(report: ReturnType<typeof buildReport>, s: Style): string {
  if (report.sessions.length === 0) return "no ended game day sessions match";
  const lines = [
    s.bold("sessions (drills; none counts as a real incident), times from the true injection instant:"),
    table(
      ["SESSION", "SCENARIO", "DETECT", "ACK", "HYPOTHESIS", "MITIGATE", "RESOLVE", "RESTORE"],
      report.sessions.map((x) => [
        x.id,
        x.scenario,
        ms(x.metrics.detect?.ms),
        ms(x.metrics.acknowledge?.ms),
        ms(x.metrics.first_correct_hypothesis?.ms),
        ms(x.metrics.mitigate?.ms),
        ms(x.metrics.resolve?.ms),
        x.metrics.clean_restore === null ? "-" : x.metrics.clean_restore ? "clean" : "NOT clean",
      ]),
      s,
    ),
    "",
    s.bold("per scenario (mean, latest, change first → latest):"),
  ];
  const trendRow = (name: string, g: (typeof report.by_scenario)[string]) => [
    name,
    String(g.sessions),
    ...METRIC_NAMES.map((m) => {
      const t = g.trends[m];
      return t.mean_ms === null
        ? "-"
        : `${ms(t.mean_ms)} / ${ms(t.latest_ms)}${t.change_ms === null ? "" : ` (${t.change_ms <= 0 ? "" : "+"}${ms(t.change_ms)})`}`;
    }),
  ];
  const headers = ["", "N", "DETECT", "ACK", "HYPOTHESIS", "MITIGATE", "RESOLVE"];
  lines.push(
    table(
      headers,
      [
        ...(report.team.sessions > 0 ? [trendRow("(whole team)", report.team)] : []),
        ...Object.entries(report.by_scenario).map(([n, g]) => trendRow(n, g)),
      ],
      s,
    ),
  );
  lines.push("", s.bold("per person (sessions they took part in):"));
  lines.push(
    table(
      headers,
      Object.entries(report.by_person).map(([n, g]) => trendRow(n, g)),
      s,
    ),
  );
  return lines.join("\n");
}

export function gamedayMetricsCommand(session: Session, run: Runner): Command {
  return new Command("metrics")
    .description(
      "time to detect, acknowledge, first correct hypothesis, mitigate, resolve; trends for the team, per scenario and per person",
    )
    .option("--scenario <name>", "only this scenario")
    .option("--person <name>", "only sessions this person took part in (as GM or player)")
    .addHelpText(
      "after",
      "\nEvery time is measured from the fault's true injection instant; docs/gamedays.md defines each.\nOnly ended sessions count; all are drills, never real incidents.\n\nExit codes: 0, 64 usage.\n\nExample:\n  opsdojo gameday metrics --scenario broken-config --json\n",
    )
    .action((options: { scenario?: string; person?: string }) => run(() => gamedayMetrics(session, options)));
}
