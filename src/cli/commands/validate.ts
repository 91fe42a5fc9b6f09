import { Command } from "commander";
import { plural } from "../../core/index.ts";
import { loadOperation, targetsOf } from "../../operations/index.ts";
import type { Session } from "../context.ts";
import type { CommandResult } from "../output.ts";
import type { Runner } from "../runner.ts";

/** `opsdojo validate FILE`: load an operation file and report every problem at once. */
export async function validateOperation(file: string): Promise<CommandResult> {
  const op = await loadOperation(file);
  const targets = targetsOf(op);
  return {
    json: {
      file,
      valid: true,
      name: op.name,
      steps: op.steps.map((s) => s.name),
      targets: targets.map((t) => t.name),
    },
    text: (s) =>
      `${s.green("valid")}: ${s.bold(op.name)} — ${plural(op.steps.length, "step")} (${op.steps.map((x) => x.name).join(", ")}) on ${plural(targets.length, "target")}`,
  };
}

export function validateCommand(_session: Session, run: Runner): Command {
  return new Command("validate")
    .description("check an operation file (operation/v1) and report every problem with file:line:column")
    .argument("<file>", "YAML or JSON operation file")
    .addHelpText(
      "after",
      "\nExit codes: 0 valid, 3 invalid file, 64 usage.\n\nExample:\n  opsdojo validate examples/operations/roll-config.yaml\n",
    )
    .action((file: string) => run(() => validateOperation(file)));
}
