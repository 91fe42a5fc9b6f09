import { Command } from "commander";
import { plural } from "../../core/index.ts";
import {
  CONFLICT_POLICIES,
  type ConflictPolicy,
  formatDiagnosis,
  formatMs,
  identityChanges,
  type JournalEvent,
} from "../../operations/index.ts";
// The file itself, not the engine's door: `runs show` must not load the engine and its providers.
import type { GlobalOptions, Session } from "../context.ts";
import { UsageError } from "../errors.ts";
import { collectEach } from "../list-options.ts";
import { type CommandResult, table } from "../output.ts";
import { plainLine, RunView } from "../progress/run-view.ts";
import { runStatusText } from "../run-status.ts";
import type { Runner } from "../runner.ts";
import {
  MOVING,
  type RunPrediction,
  type RunShape,
  type RunsBackend,
  type RunWatch,
  withRuns,
} from "../runs/index.ts";
import { conflictLines } from "./run-conflicts.ts";
import { describeRun, outcomeJson, runExitCode } from "./run-render.ts";
import { runsExportCommand } from "./runs-export-command.ts";
import { runsModelCommand } from "./runs-model-command.ts";
import { withSshFlags } from "./ssh-flags.ts";

/** How many runs `runs list` shows. */
const LIST_LIMIT = 200;

export async function listRuns(runs: RunsBackend, startedBy?: string): Promise<CommandResult> {
  const rows = await runs.list(LIST_LIMIT, { startedBy });
  return {
    json: { items: rows.map(({ failed: _, ...row }) => row) },
    text: (s) =>
      rows.length === 0
        ? startedBy === undefined
          ? "no runs yet: opsdojo run FILE starts one"
          : `no run started by ${startedBy}: opsdojo runs list shows who started each`
        : table(
            ["ID", "OPERATION", "STATUS", "BY", "STARTED", "FINISHED"],
            rows.map((r) => [
              r.id,
              r.operation_name,
              r.held
                ? s.yellow("interrupted (held: resume or undo)")
                : runStatusText(r.status, r.failed ?? false, s),
              r.started_by ?? "-",
              r.created_at,
              r.finished_at ?? "-",
            ]),
            s,
          ),
  };
}

export async function showRun(runs: RunsBackend, id: string): Promise<CommandResult> {
  const { diagnosis, failed, prediction, ...run } = await runs.detail(id);
  const renamed = identityChanges(run.events);
  return {
    json: {
      ...run,
      ...(diagnosis ? { diagnosis } : {}),
      ...(prediction ? { prediction } : {}),
      ...(renamed.length > 0 ? { identities: renamed } : {}),
    },
    text: (s) =>
      [
        `run ${s.bold(id)} of ${run.operation}: ${runStatusText(run.status, failed ?? false, s)}`,
        `started by ${run.started_by ?? s.dim("(not recorded)")}`,
        table(
          ["TARGET", "STEP", "ACTION", "STATE", "ERROR"],
          run.steps.map((x) => [x.target, x.stepName, x.action, x.state, x.error ?? ""]),
          s,
        ),
        ...conflictLines(run.events, run.steps, s),
        ...(diagnosis ? [formatDiagnosis(diagnosis, s)] : []),
        ...(prediction ? [comparePrediction(prediction, run.status)] : []),
        ...(renamed.length > 0
          ? [
              "ids changed by undo (later undos and references use the new one):",
              ...renamed.map(
                (r) => `  ${r.resource} ${r.from} → ${r.to} (${r.target}, step ${r.step_index + 1})`,
              ),
            ]
          : []),
        s.dim(`${plural(run.events.length, "event")}; opsdojo runs show ${id} --json for all of them`),
      ].join("\n"),
  };
}

/** A finished run against what the simulation predicted before it ran. */
export function comparePrediction(p: RunPrediction, status: string): string {
  const where =
    p.took_ms <= p.p50_ms
      ? "at or under P50"
      : p.took_ms <= p.p90_ms
        ? "between P50 and P90"
        : "slower than P90";
  return [
    `predicted from ${plural(p.learned_runs, "earlier run")}: P50 ${formatMs(p.p50_ms)}, P90 ${formatMs(p.p90_ms)}, P(success) ${(p.p_success * 100).toFixed(1)} %`,
    `it took ${formatMs(p.took_ms)} (${where}) and ended ${status}`,
  ].join("\n");
}

/** The live view of a run for this session (none under --json). */
export function watchOf(session: Session, signal?: AbortSignal): RunWatch {
  const status = session.status;
  return {
    ...(status
      ? {
          view: (shape: RunShape) => {
            const view = new RunView(status, shape);
            return { onEvent: view.event.bind(view), close: () => view.close() };
          },
        }
      : {}),
    ...(signal ? { signal } : {}),
  };
}

/** `--param name=value` given to undo or resume: the run's secrets again (they are never stored). */
export function givenSecrets(args: readonly string[] | undefined): Record<string, string> {
  const given: Record<string, string> = {};
  for (const arg of args ?? []) {
    const eq = arg.indexOf("=");
    if (eq <= 0)
      throw new UsageError(
        `--param takes name=value, not ${JSON.stringify(arg.slice(0, 40))}`,
        "opsdojo runs",
      );
    Object.defineProperty(given, arg.slice(0, eq), { value: arg.slice(eq + 1), enumerable: true });
  }
  return given;
}

export async function undoRun(
  session: Session,
  runs: RunsBackend,
  id: string,
  options: { param?: string[]; onConflict?: string } = {},
): Promise<CommandResult> {
  const onConflict = conflictPolicyOf(options.onConflict);
  const result = await runs.undo(
    id,
    watchOf(session),
    givenSecrets(options.param),
    onConflict ? { onConflict } : {},
  );
  return {
    json: outcomeJson(result),
    text: (s) => describeRun(result, s),
    exitCode: runExitCode(result.status === "rolled_back" ? "succeeded" : result.status),
  };
}

export async function resumeRun(
  session: Session,
  runs: RunsBackend,
  id: string,
  options: { param?: string[]; onConflict?: string } = {},
): Promise<CommandResult> {
  const given = givenSecrets(options.param);
  const onConflict = conflictPolicyOf(options.onConflict, "opsdojo runs resume");
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  try {
    const result = await runs.resume(
      id,
      watchOf(session, controller.signal),
      given,
      onConflict ? { onConflict } : {},
    );
    return {
      json: outcomeJson(result),
      text: (s) => describeRun(result, s),
      exitCode: runExitCode(result.status),
    };
  } finally {
    process.off("SIGINT", stop);
  }
}

/** `--on-conflict refuse|restore|keep`, checked here so a typo is a usage error, not an undo. */
export function conflictPolicyOf(
  given: string | undefined,
  command = "opsdojo runs undo",
): ConflictPolicy | undefined {
  if (given === undefined) return undefined;
  if ((CONFLICT_POLICIES as readonly string[]).includes(given)) return given as ConflictPolicy;
  throw new UsageError(
    `--on-conflict takes ${CONFLICT_POLICIES.join(", ")}, not ${JSON.stringify(given.slice(0, 40))}`,
    command,
  );
}

export async function purgeKeptRun(runs: RunsBackend, id: string): Promise<CommandResult> {
  const purged = await runs.purgeKept(id);
  return {
    json: { id, purged },
    text: (s) =>
      purged.length === 0
        ? `run ${s.bold(id)}: nothing kept aside to purge`
        : `run ${s.bold(id)}: purged ${plural(purged.length, "kept version")}:\n${purged.map((p) => `  ${p}`).join("\n")}`,
  };
}

export async function commitRun(runs: RunsBackend, id: string): Promise<CommandResult> {
  const committed = await runs.commit(id);
  return {
    json: { id, status: "committed", committed_steps: committed },
    text: (s) =>
      `run ${s.bold(id)} committed: what was kept to undo its ${plural(committed, "step")} is purged; it can no longer be undone`,
  };
}

export function parseAfter(after: string | undefined): number {
  const afterSeq = after === undefined ? 0 : Number(after);
  if (!Number.isInteger(afterSeq) || afterSeq < 0) {
    throw new UsageError(
      `--after takes a sequence number (0 or more), not "${after}"`,
      "opsdojo runs events",
    );
  }
  return afterSeq;
}

export async function runEvents(runs: RunsBackend, id: string, afterSeq: number): Promise<CommandResult> {
  const events = await runs.events(id, afterSeq, 10_000);
  return {
    json: { items: events },
    text: () => events.map((e) => plainLine(id, e, [])).join("\n"),
  };
}

/**
 * `runs events --follow`: print events as they are journalled (JSON lines under --json) until
 * the run comes to rest — finished, paused or interrupted (a dead owner is noticed on the way).
 * The same loop for the local store and a server.
 */
export async function followEvents(
  session: Session,
  runs: RunsBackend,
  id: string,
  afterSeq: number,
  pollMs = 200,
): Promise<void> {
  const print = session.stdout ?? ((text: string) => void process.stdout.write(text));
  const show = (e: JournalEvent) => print(`${session.json ? JSON.stringify(e) : plainLine(id, e, [])}\n`);
  let last = afterSeq;
  for (;;) {
    const events = await runs.events(id, last, 1000);
    for (const e of events) show(e);
    last = events.at(-1)?.seq ?? last;
    if (events.length === 1000) continue;
    if (!MOVING.has(await runs.status(id))) {
      for (const e of await runs.events(id, last, 10_000)) show(e);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

export function runsCommand(session: Session, run: Runner): Command {
  const command = new Command("runs").description("runs of operations: list, show, undo");
  const using = (cmd: Command, task: (runs: RunsBackend) => Promise<CommandResult>) =>
    run(() => withRuns(session, cmd.optsWithGlobals<GlobalOptions>(), task));
  command
    .command("list")
    .description("the latest runs, newest first, with who started each (BY)")
    .option("--by <name>", "only the runs this person (or token) started")
    .action((options: { by?: string }, cmd: Command) => using(cmd, (runs) => listRuns(runs, options.by)));
  command
    .command("show")
    .description("one run: its steps as journalled, its events and, when it failed, its diagnosis")
    .argument("<id>", "run id (run_…)")
    .action((id: string, _options: unknown, cmd: Command) => using(cmd, (runs) => showRun(runs, id)));
  command
    .command("events")
    .description("a run's events in order (each with its sequence number)")
    .argument("<id>", "run id (run_…)")
    .option("--after <seq>", "only events after this sequence number")
    .option("--follow", "keep printing events as they happen, until the run comes to rest")
    .action((id: string, options: { after?: string; follow?: boolean }, cmd: Command) =>
      run(async () => {
        const afterSeq = parseAfter(options.after);
        if (!options.follow)
          return withRuns(session, cmd.optsWithGlobals(), (r) => runEvents(r, id, afterSeq));
        const running = withRuns(session, cmd.optsWithGlobals(), async (runs) => {
          await runs.status(id);
          await followEvents(session, runs, id, afterSeq);
        });
        return { json: null, text: () => "", raw: true, running };
      }),
    );
  withSshFlags(command.command("resume"))
    .description("continue a paused or interrupted run where it stopped")
    .argument("<id>", "run id (run_…)")
    .addHelpText(
      "after",
      "\nSteps already done are not run again. The step in flight when the run stopped is reconciled first:\nas before it, it runs again; as it leaves things, it is finished; changed by someone else meanwhile,\n--on-conflict decides (refuse, the default: nothing is touched and the run stays interrupted).\nExit codes as for run: 0, 1, 2, 3.\n",
    )
    .option(
      "--param <k=v>",
      "a secret param of the run again (secrets are never stored); repeat for more",
      collectEach,
    )
    .option(
      "--on-conflict <policy>",
      "the step in flight, changed by someone else since: refuse (default; nothing touched), restore (keep it aside, run the step again), keep (leave it, go on)",
    )
    .action((id: string, options: { param?: string[]; onConflict?: string }, cmd: Command) =>
      using(cmd, (runs) => resumeRun(session, runs, id, options)),
    );
  withSshFlags(command.command("commit"))
    .description("accept a finished run: purge what undo kept (pseudo-deleted files); no undo afterwards")
    .argument("<id>", "run id (run_…)")
    .action((id: string, _options: unknown, cmd: Command) => using(cmd, (runs) => commitRun(runs, id)));
  withSshFlags(command.command("undo"))
    .description("undo a finished, paused or interrupted run from its journal (idempotent)")
    .argument("<id>", "run id (run_…)")
    .option(
      "--param <k=v>",
      "a secret param of the run again (secrets are never stored); repeat for more",
      collectEach,
    )
    .option(
      "--on-conflict <policy>",
      "what changed since its step: refuse (default; nothing touched), restore (keep it aside, put the state before back), keep",
    )
    .action((id: string, options: { param?: string[]; onConflict?: string }, cmd: Command) =>
      using(cmd, (runs) => undoRun(session, runs, id, options)),
    );
  command
    .command("purge-kept")
    .description("remove the versions a run's undos kept aside (they survive runs commit)")
    .argument("<id>", "run id (run_…)")
    .action((id: string, _options: unknown, cmd: Command) => using(cmd, (runs) => purgeKeptRun(runs, id)));
  command.addCommand(runsExportCommand(session, run));
  command.addCommand(runsModelCommand(session, run));
  return command;
}
