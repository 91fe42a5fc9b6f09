import { Command } from "commander";
import { plural } from "../../core/index.ts";
import { irreversibleFaults, loadScenario, ScenarioRefusedError, scheduleOf } from "../../gamedays/index.ts";
import { v1UndoName } from "../../operations/index.ts";
import type { GlobalOptions, Session } from "../context.ts";
import { UsageError } from "../errors.ts";
import { PLAN_TIME_FORMATS } from "../gamedays/plan-time.ts";
import type { CommandResult } from "../output.ts";
import type { Runner } from "../runner.ts";
import { planGameday } from "./gameday-plans.ts";

/** `gameday plan FILE`: validate the scenario and check that every fault can be undone. */
export async function planScenario(
  file: string,
  options: { allowIrreversible?: boolean },
): Promise<CommandResult> {
  const loaded = await loadScenario(file);
  const oneWay = irreversibleFaults(loaded);
  if (oneWay.length > 0 && !options.allowIrreversible) {
    throw new ScenarioRefusedError(
      `faults that cannot be undone: ${oneWay.map((f) => `${f.fault} (steps ${f.steps.join(", ")})`).join("; ")}; a game day must be able to restore what it breaks — declare an undo for those steps, or pass --allow-irreversible`,
      { irreversible: oneWay },
    );
  }
  const { scenario } = loaded;
  const schedule = scheduleOf(scenario);
  const faults = loaded.faults.map((f) => ({
    name: f.fault.name,
    at: f.fault.at,
    operation: f.operation.name,
    file: f.file,
    params: f.params,
    steps: f.operation.steps.map((s) => ({ name: s.name, uses: s.uses, undo: v1UndoName(s) })),
    irreversible: oneWay.some((o) => o.fault === f.fault.name),
  }));
  const json = {
    file,
    valid: true,
    name: scenario.name,
    title: scenario.title ?? scenario.name,
    difficulty: scenario.difficulty ?? null,
    timebox: scenario.timebox,
    faults,
    schedule: schedule.map((i) => ({ at_ms: i.atMs, type: i.type, id: i.id })),
    objectives: scenario.objectives.length,
    stop_conditions: scenario.stop_conditions?.length ?? 0,
  };
  return {
    json,
    text: (s) =>
      [
        `${s.green("valid")}: ${s.bold(scenario.name)} — ${scenario.title ?? ""} (difficulty ${scenario.difficulty ?? "-"}, timebox ${scenario.timebox})`,
        ...faults.map(
          (f) =>
            `  fault ${f.name} at ${f.at}: ${f.operation} — ${f.steps.map((x) => `${x.name} (${x.uses}, undo ${x.undo})`).join(", ")}${f.irreversible ? s.red(" IRREVERSIBLE") : ""}`,
        ),
        `  schedule: ${schedule.map((i) => `${i.atMs / 1000}s ${i.type} ${i.id}`).join(", ")}`,
        `  ${plural(scenario.objectives.length, "objective")}, ${plural(scenario.stop_conditions?.length ?? 0, "stop condition")}`,
      ].join("\n"),
  };
}

export function gamedayPlanCommand(session: Session, run: Runner): Command {
  return new Command("plan")
    .description(
      "check a scenario file (every fault undoable); with --at, put a registered scenario on the schedule",
    )
    .argument(
      "<file-or-scenario>",
      "a scenario file (scenario/v1) to check; with --at, a registered scenario's name",
    )
    .option("--allow-irreversible", "accept faults with steps nothing can undo")
    .option("--at <time>", `plan a game day then: ${PLAN_TIME_FORMATS}`)
    .option("--gm <name>", "with --at: the GM (a team member); left out, the GM rotation suggests one")
    .option(
      "--player <name:role>",
      "with --at: a player and their seat; repeat for more",
      (v: string, prev?: string[]) => [...(prev ?? []), v],
    )
    .option("--note <text>", "with --at: anything the team should know")
    .addHelpText(
      "after",
      `\nExit codes: 0 valid and every fault undoable (or planned), 3 invalid file, an irreversible fault, an unknown scenario or member, or a time in the past; 64 usage.\n\nExample:\n  opsdojo gameday plan examples/gamedays/broken-config/scenario.yaml\n  opsdojo gameday plan broken-config --at "2026-12-10 14:00" --gm alice --player bob:primary --note "room 2"\n`,
    )
    .action((file: string, options: PlanCommandOptions, cmd: Command) =>
      run(() => {
        if (options.at !== undefined)
          return planGameday(session, cmd.optsWithGlobals<GlobalOptions>(), file, {
            ...options,
            at: options.at,
          });
        const extra = (["gm", "player", "note"] as const).find((o) => options[o] !== undefined);
        if (extra !== undefined)
          throw new UsageError(
            `--${extra} goes with --at (planning a game day), not with checking a file`,
            "opsdojo gameday plan",
          );
        return planScenario(file, options);
      }),
    );
}

interface PlanCommandOptions {
  allowIrreversible?: boolean;
  at?: string;
  gm?: string;
  player?: string[];
  note?: string;
}
