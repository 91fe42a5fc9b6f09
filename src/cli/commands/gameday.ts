import { Command } from "commander";
import type { Session } from "../context.ts";
import type { Runner } from "../runner.ts";
import { gamedayMetricsCommand } from "./gameday-metrics.ts";
import { gamedayNoteCommands } from "./gameday-notes.ts";
import { gamedayPlanCommand } from "./gameday-plan.ts";
import { gamedayPlansCommands } from "./gameday-plans.ts";
import { gamedayPostmortemCommands } from "./gameday-postmortem.ts";
import { gamedayRestoreCommand } from "./gameday-restore.ts";
import { gamedayStartCommand } from "./gameday-start.ts";
import { gamedayTimelineCommands } from "./gameday-timeline.ts";

/** `opsdojo gameday …`: scenarios, sessions, their timeline and metrics (docs/gamedays.md). */
export function gamedayCommand(session: Session, run: Runner): Command {
  const command = new Command("gameday")
    .description("game days: plan a scenario, play it (real faults, restored after), timeline, metrics")
    .addHelpText(
      "after",
      `
A session started with \`gameday start\` runs in that process; the other commands talk to it
through the store. A session whose process died is reported by every gameday command;
\`gameday restore\` undoes its faults.

Example:
  opsdojo gameday plan examples/gamedays/broken-config/scenario.yaml
  opsdojo gameday plan broken-config --at "2026-12-10 14:00" --gm alice
  opsdojo gameday start examples/gamedays/broken-config/scenario.yaml --gm alice --player bob:primary
  opsdojo gameday note gd_01j… "health returns 503" --kind ack --by bob
  opsdojo gameday metrics
`,
    );
  command.addCommand(gamedayPlanCommand(session, run));
  for (const c of gamedayPlansCommands(session, run)) command.addCommand(c);
  command.addCommand(gamedayStartCommand(session, run));
  for (const c of gamedayNoteCommands(session, run)) command.addCommand(c);
  for (const c of gamedayTimelineCommands(session, run)) command.addCommand(c);
  command.addCommand(gamedayRestoreCommand(session, run));
  command.addCommand(gamedayMetricsCommand(session, run));
  for (const c of gamedayPostmortemCommands(session, run)) command.addCommand(c);
  return command;
}
