import { Command } from "commander";
import { plural } from "../../core/index.ts";
import { irreversibleFaults, loadScenario, ScenarioRefusedError, scheduleOf } from "../../gamedays/index.ts";
import { v1UndoName } from "../../operations/index.ts";
import type { CommandResult } from "../output.ts";
import type { Runner } from "../runner.ts";

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

export function gamedayPlanCommand(run: Runner): Command {
  return new Command("plan")
    .description("validate a scenario file and check that every fault can be undone")
    .argument("<file>", "YAML or JSON scenario file (scenario/v1)")
    .option("--allow-irreversible", "accept faults with steps nothing can undo")
    .addHelpText(
      "after",
      "\nExit codes: 0 valid and every fault undoable, 3 invalid file or an irreversible fault, 64 usage.\n\nExample:\n  opsdojo gameday plan examples/gamedays/broken-config/scenario.yaml\n",
    )
    .action((file: string, options: { allowIrreversible?: boolean }) =>
      run(() => planScenario(file, options)),
    );
}
