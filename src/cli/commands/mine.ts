import { Command } from "commander";
import type { Session } from "../context.ts";
import type { Runner } from "../runner.ts";
import { mineCheckCommand } from "./mine-check.ts";
import { mineConvertCommand } from "./mine-convert.ts";
import { mineDiscoverCommand } from "./mine-discover.ts";
import { mineTemplatesCommand } from "./mine-templates.ts";
import { mineWatchCommand } from "./mine-watch.ts";

/** `opsdojo mine …`: process mining from logs. A group only: each subcommand has its own file. */
export function mineCommand(session: Session, run: Runner): Command {
  const command = new Command("mine").description(
    "process mining from logs: templates, discovery, conformance, live deviations",
  );
  command.addCommand(mineTemplatesCommand(session, run));
  command.addCommand(mineDiscoverCommand(session, run));
  command.addCommand(mineCheckCommand(session, run));
  command.addCommand(mineWatchCommand(session, run));
  command.addCommand(mineConvertCommand(session, run));
  return command;
}
