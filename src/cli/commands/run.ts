import { readFile } from "node:fs/promises";
import { Command } from "commander";
import { FileUnreadableError, InvalidInputError, systemClock } from "../../core/index.ts";
import {
  type Diagnosis,
  inventoryTargets,
  irreversibleSteps,
  Journal,
  LARGE_RUN_TARGETS,
  type Operation,
  RunRefusedError,
  registerOperation,
  resolveParams,
  runOperation,
  sourceWithTargets,
  targetsOf,
} from "../../operations/index.ts";
import type { Store } from "../../store/index.ts";
import { type GlobalOptions, resolveTarget, type Session, withLocalStore } from "../context.ts";
import { collectEach } from "../list-options.ts";
import type { CommandResult, Style } from "../output.ts";
import { localPerson } from "../person.ts";
import { RunView } from "../progress/run-view.ts";
import type { Runner } from "../runner.ts";
import { describeRun, outcomeJson, runExitCode } from "./run-render.ts";
import { watchOf } from "./runs.ts";
import { remoteOptionsOf, type SshFlags, withSshFlags } from "./ssh-flags.ts";

export { describeRun, likelyCause, runExitCode } from "./run-render.ts";

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

export interface RunFlags extends SshFlags {
  readonly param?: string[];
  readonly yes?: boolean;
  readonly inventory?: string;
  readonly limit?: string;
  /** Who starts the run (local runs): recorded as `started_by`. */
  readonly as?: string;
}

export async function runFile(
  session: Session,
  file: string,
  options: RunFlags,
  globals: GlobalOptions = {},
): Promise<CommandResult> {
  let source: string;
  try {
    source = await readFile(file, "utf8");
  } catch (error) {
    // Like `validate`: a file that cannot be read is refused input (exit 3), not a usage error.
    throw new FileUnreadableError(file, error);
  }
  if (options.limit !== undefined && options.inventory === undefined)
    throw new InvalidInputError("--limit selects hosts of an inventory: give --inventory FILE too");
  const target = resolveTarget(globals, session.env);
  if (target.kind === "remote") {
    if (options.inventory !== undefined)
      throw new InvalidInputError("--inventory is for local runs: the server's hosts are not this machine's");
    if (options.as !== undefined)
      throw new InvalidInputError(
        "--as is for local runs: against a server the token says who started the run (opsdojo token create --person NAME)",
      );
    return runFileOnServer(session, target, file, source, options);
  }
  if (options.inventory !== undefined) {
    // Registered with the inventory's hosts as its targets (`${target.x}` checked against their
    // vars): undo and resume read them back from the run alone, without the inventory.
    source = sourceWithTargets(source, await inventoryTargets(options.inventory, options.limit));
  }
  const startedBy = localPerson(options.as, session.env);
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
    await sayPrediction(session, store, registered.operation);
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once("SIGINT", stop);
    const view = liveView(session, registered.operation);
    try {
      const result = await runOperation(
        { operation: registered.operation, operationId: registered.id, params, startedBy },
        {
          store,
          clock: systemClock,
          signal: controller.signal,
          remote: remoteOptionsOf(options, session),
          ...(view.onEvent ? { onEvent: view.onEvent } : {}),
        },
      ).finally(view.close);
      const diagnosis =
        result.status === "succeeded"
          ? undefined
          : ((await new Journal(store, systemClock).diagnosis(result.id)) as Diagnosis | undefined);
      return {
        json: outcomeJson(result),
        text: (s: Style) => describeRun(result, s, diagnosis),
        exitCode: runExitCode(result.status),
      };
    } finally {
      process.off("SIGINT", stop);
    }
  });
}

/**
 * Before a large run (more than 50 targets) whose operation has run before: the simulated P50 and
 * P90 from its journal, so the operator knows what to expect (`runs show` compares afterwards).
 * Said on the status stream only — never in --json output, never for a small run.
 */
async function sayPrediction(session: Session, store: Store, operation: Operation): Promise<void> {
  if (!session.status || targetsOf(operation).length <= LARGE_RUN_TARGETS) return;
  // Loaded only for a large run.
  const { formatMs, predictRun } = await import("../../operations/index.ts");
  const p = await predictRun(store, operation);
  if (!p) return;
  session.status.write(
    `simulated from ${p.learned_runs} earlier run${p.learned_runs === 1 ? "" : "s"}: P50 ${formatMs(p.p50_ms)}, P90 ${formatMs(p.p90_ms)}, P(success) ${(p.p_success * 100).toFixed(1)} %\n`,
  );
}

/** `run FILE --server …`: the server runs the file's text; the output is what a local run prints. */
async function runFileOnServer(
  session: Session,
  target: { url: string; token: string },
  file: string,
  source: string,
  options: { param?: string[]; yes?: boolean },
): Promise<CommandResult> {
  const params: Record<string, string> = {};
  for (const pair of options.param ?? []) {
    const at = pair.indexOf("=");
    if (at < 1) throw new InvalidInputError(`--param "${pair}" is not name=value`);
    params[pair.slice(0, at)] = pair.slice(at + 1);
  }
  const { runOnServer } = await import("../runs/remote-backend.ts");
  const { outcome, diagnosis } = await runOnServer(
    { url: target.url, token: target.token, warn: (m) => session.warnings.push(m) },
    { source, file, params, allowIrreversible: options.yes === true },
    watchOf(session),
  );
  return {
    json: outcomeJson(outcome),
    text: (s: Style) => describeRun(outcome, s, diagnosis),
    exitCode: runExitCode(outcome.status),
  };
}

export function runCommand(session: Session, run: Runner): Command {
  const command = new Command("run")
    .description("run an operation file: journalled, verified, rolled back on failure")
    .argument("<file>", "YAML or JSON operation file (operation/v1)")
    .option("--param <k=v>", "a parameter; repeat for more", collectEach)
    .option("--yes", "run even if some steps cannot be undone")
    .option("--inventory <file>", "run on an inventory's hosts over SSH (inventory/v1, Ansible INI or YAML)")
    .option(
      "--limit <pattern>",
      "only the inventory's hosts this pattern selects (group, host, glob, ~regex, &, !)",
    )
    .option(
      "--as <name>",
      "who starts the run, as the team knows you (env OPSDOJO_AS; default: the OS user)",
    );
  return withSshFlags(command)
    .addHelpText(
      "after",
      "\nExit codes: 0 succeeded, 1 failed and rolled back, 2 rollback incomplete, 3 refused, 64 usage.\n\nExample:\n  opsdojo run roll-config.yaml --param release=2.0\n  opsdojo run fleet-config.yaml --inventory hosts.ini --limit web --known-hosts ./known_hosts\n",
    )
    .addHelpText(
      "after",
      "\nWith --server (or OPSDOJO_URL) the file's text is registered on that server, which runs it: its steps\nact on the server's host. The output and exit code are the same.\n",
    )
    .action((file: string, options: RunFlags, cmd: Command) =>
      run(() => runFile(session, file, options, cmd.optsWithGlobals<GlobalOptions>())),
    );
}
