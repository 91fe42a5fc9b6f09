import { readFile } from "node:fs/promises";
import { Command } from "commander";
import { FileUnreadableError, systemClock } from "../../core/index.ts";
import { registerOperation } from "../../operations/catalogue.ts";
import type { Diagnosis } from "../../operations/diagnosis/index.ts";
import {
  irreversibleSteps,
  RunRefusedError,
  type RunResult,
  runOperation,
} from "../../operations/engine/index.ts";
import { Journal } from "../../operations/journal/index.ts";
import { resolveParams } from "../../operations/loader/index.ts";
import { type Operation, targetsOf } from "../../operations/model/index.ts";
import { type Session, withLocalStore } from "../context.ts";
import type { CommandResult, Style } from "../output.ts";
import { RunView } from "../progress/run-view.ts";
import { runStatusText, targetStatusText } from "../run-status.ts";
import type { Runner } from "../runner.ts";
import { collectList } from "./token.ts";

/** OPERATIONS.md exit codes of a run. */
export function runExitCode(status: RunResult["status"]): number {
  switch (status) {
    case "succeeded":
      return 0;
    // Paused (on_failure: pause) leaves changes in place for a human to resume or undo, like an
    // incomplete rollback: never 1, which promises the state is back.
    case "rollback_incomplete":
    case "paused":
      return 2;
    case "refused":
      return 3;
    default:
      return 1;
  }
}

/** The most likely cause of a failed run, from its stored diagnosis, as a few lines. */
export function likelyCause(diagnosis: Diagnosis | undefined, s: Style): string[] {
  const top = diagnosis?.causes[0];
  if (!top) return [];
  const lines = [s.bold(`  most likely: ${top.title}`)];
  for (const e of top.evidence.slice(0, 2)) lines.push(`    ${e}`);
  lines.push(`    → ${top.recovery.action}${top.recovery.command ? `: ${top.recovery.command}` : ""}`);
  return lines;
}

export function describeRun(result: RunResult, s: Style, diagnosis?: Diagnosis): string {
  const lines = [
    `run ${s.bold(result.id)}: ${runStatusText(result.status, result.failure !== undefined, s)}`,
  ];
  for (const t of result.targets)
    lines.push(
      `  ${t.name}: ${targetStatusText(t.status, t.failure !== undefined, s)}${t.failure ? ` — ${t.failure.step}: ${t.failure.reason}` : ""}`,
    );
  for (const u of result.unrestored) lines.push(s.red(`  not restored: ${u.target}/${u.step}: ${u.reason}`));
  lines.push(...likelyCause(diagnosis, s));
  if (result.status !== "succeeded")
    lines.push(
      s.dim(
        `opsdojo runs show ${result.id} shows the journal; opsdojo runs undo ${result.id} retries the undo`,
      ),
    );
  return lines.join("\n");
}

/** The live view of a run for this session (none under --json), and the engine's listener. */
export function liveView(session: Session, op: Operation) {
  if (!session.status) return { onEvent: undefined, close: () => {} };
  const view = new RunView(session.status, {
    operation: op.name,
    targets: targetsOf(op).map((t) => t.name),
    steps: op.steps.map((s) => s.name),
  });
  return { onEvent: view.event.bind(view), close: () => view.close() };
}

export async function runFile(
  session: Session,
  file: string,
  options: { param?: string[]; yes?: boolean },
): Promise<CommandResult> {
  let source: string;
  try {
    source = await readFile(file, "utf8");
  } catch (error) {
    // Like `validate`: a file that cannot be read is refused input (exit 3), not a usage error.
    throw new FileUnreadableError(file, error);
  }
  return withLocalStore(session.env, async (store) => {
    const registered = await registerOperation(store, systemClock, source, file);
    const params = resolveParams(options.param ?? [], registered.operation);
    const oneWay = irreversibleSteps(registered.operation);
    if (oneWay.length > 0 && !options.yes) {
      // Refused (exit 3), as OPERATIONS.md says: the file is fine, the run is not allowed as it stands.
      throw new RunRefusedError(
        `steps ${oneWay.join(", ")} cannot be undone (no undo: for a shell or http action, or undo: none); declare an undo, or pass --yes to run anyway`,
      );
    }
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once("SIGINT", stop);
    const view = liveView(session, registered.operation);
    try {
      const result = await runOperation(
        { operation: registered.operation, operationId: registered.id, params },
        {
          store,
          clock: systemClock,
          signal: controller.signal,
          ...(view.onEvent ? { onEvent: view.onEvent } : {}),
        },
      ).finally(view.close);
      const diagnosis =
        result.status === "succeeded"
          ? undefined
          : ((await new Journal(store, systemClock).diagnosis(result.id)) as Diagnosis | undefined);
      return {
        json: result,
        text: (s: Style) => describeRun(result, s, diagnosis),
        exitCode: runExitCode(result.status),
      };
    } finally {
      process.off("SIGINT", stop);
    }
  });
}

export function runCommand(session: Session, run: Runner): Command {
  return new Command("run")
    .description("run an operation file: journalled, verified, rolled back on failure")
    .argument("<file>", "YAML or JSON operation file (operation/v1)")
    .option("--param <k=v>", "a parameter; repeat for more", collectList)
    .option("--yes", "run even if some steps cannot be undone")
    .addHelpText(
      "after",
      "\nExit codes: 0 succeeded, 1 failed and rolled back, 2 rollback incomplete, 3 refused, 64 usage.\n\nExample:\n  opsdojo run roll-config.yaml --param release=2.0\n",
    )
    .action((file: string, options: { param?: string[]; yes?: boolean }) =>
      run(() => runFile(session, file, options)),
    );
}
