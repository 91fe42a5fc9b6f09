import { Command } from "commander";
import { systemClock } from "../../core/index.ts";
import { operationOfRun } from "../../operations/catalogue.ts";
import { type Diagnosis, formatDiagnosis } from "../../operations/diagnosis/index.ts";
import { commitRunById, ownerIsDeadHere, resumeRunById, undoRunById } from "../../operations/engine/index.ts";
import { Journal, type JournalEvent, RunNotFoundError } from "../../operations/journal/index.ts";
import type { Operation, ParamValue } from "../../operations/model/index.ts";
import { supplySecrets } from "../../operations/secrets/index.ts";
import type { Store } from "../../store/index.ts";
import { type Session, withLocalStore } from "../context.ts";
import { UsageError } from "../errors.ts";
import type { CommandResult } from "../output.ts";
import { table } from "../output.ts";
import { plainLine } from "../progress/run-view.ts";
import type { Runner } from "../runner.ts";
import { describeRun, liveView, runExitCode } from "./run.ts";
import { runsExportCommand } from "./runs-export.ts";
import { collectList } from "./token.ts";

async function runRow(store: Store, id: string) {
  const row = await store.db.selectFrom("runs").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new RunNotFoundError(id);
  return row;
}

export async function listRuns(session: Session): Promise<CommandResult> {
  return withLocalStore(session.env, async (store) => {
    await new Journal(store, systemClock).markInterrupted(ownerIsDeadHere);
    const rows = await store.db
      .selectFrom("runs")
      .select(["id", "operation_name", "status", "created_at", "finished_at"])
      .orderBy("id", "desc")
      .limit(200)
      .execute();
    return {
      json: { items: rows },
      text: (s) =>
        rows.length === 0
          ? "no runs yet: opsdojo run FILE starts one"
          : table(
              ["ID", "OPERATION", "STATUS", "STARTED", "FINISHED"],
              rows.map((r) => [r.id, r.operation_name, r.status, r.created_at, r.finished_at ?? "-"]),
              s,
            ),
    };
  });
}

export async function showRun(session: Session, id: string): Promise<CommandResult> {
  return withLocalStore(session.env, async (store) => {
    const journal = new Journal(store, systemClock);
    await journal.markInterrupted(ownerIsDeadHere);
    const row = await runRow(store, id);
    const steps = await journal.steps(id);
    const events = await journal.events(id, 0, 10_000);
    // A run resumed to success keeps no diagnosis; one from before is not shown either way.
    const diagnosis =
      row.diagnosis && row.status !== "succeeded" ? (JSON.parse(row.diagnosis) as Diagnosis) : undefined;
    return {
      json: {
        id,
        operation: row.operation_name,
        status: row.status,
        params: JSON.parse(row.params),
        steps,
        events,
        ...(diagnosis ? { diagnosis } : {}),
      },
      text: (s) =>
        [
          `run ${s.bold(id)} of ${row.operation_name}: ${row.status}`,
          table(
            ["TARGET", "STEP", "ACTION", "STATE", "ERROR"],
            steps.map((x) => [x.target, x.stepName, x.action, x.state, x.error ?? ""]),
            s,
          ),
          ...(diagnosis ? [formatDiagnosis(diagnosis, s)] : []),
          s.dim(`${events.length} events; opsdojo runs show ${id} --json for all of them`),
        ].join("\n"),
    };
  });
}

/** `--param name=value` given to undo or resume: the run's secrets again (they are never stored). */
function givenSecrets(args: readonly string[] | undefined): Record<string, string> {
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

/** The params a run goes on with: stored ones, and its secrets given again or from their source. */
function paramsOf(id: string, operation: Operation, row: { params: string }, args?: readonly string[]) {
  return supplySecrets({
    runId: id,
    operation,
    stored: JSON.parse(row.params) as Record<string, ParamValue>,
    given: givenSecrets(args),
  });
}

export async function undoRun(
  session: Session,
  id: string,
  options: { param?: string[] } = {},
): Promise<CommandResult> {
  return withLocalStore(session.env, async (store) => {
    const journal = new Journal(store, systemClock);
    await journal.markInterrupted(ownerIsDeadHere);
    const row = await runRow(store, id);
    const registered = await operationOfRun(store, id);
    if (!registered) throw new RunNotFoundError(id);
    const view = liveView(session, registered.operation);
    const result = await undoRunById(
      id,
      { operation: registered.operation, params: paramsOf(id, registered.operation, row, options.param) },
      { store, clock: systemClock, ...(view.onEvent ? { onEvent: view.onEvent } : {}) },
    ).finally(view.close);
    return {
      json: result,
      text: (s) => describeRun(result, s),
      exitCode: runExitCode(result.status === "rolled_back" ? "succeeded" : result.status),
    };
  });
}

export async function resumeRun(
  session: Session,
  id: string,
  options: { param?: string[] } = {},
): Promise<CommandResult> {
  return withLocalStore(session.env, async (store) => {
    const journal = new Journal(store, systemClock);
    await journal.markInterrupted(ownerIsDeadHere);
    const row = await runRow(store, id);
    const registered = await operationOfRun(store, id);
    if (!registered) throw new RunNotFoundError(id);
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once("SIGINT", stop);
    const view = liveView(session, registered.operation);
    try {
      const result = await resumeRunById(
        id,
        { operation: registered.operation, params: paramsOf(id, registered.operation, row, options.param) },
        {
          store,
          clock: systemClock,
          signal: controller.signal,
          ...(view.onEvent ? { onEvent: view.onEvent } : {}),
        },
      ).finally(view.close);
      return { json: result, text: (s) => describeRun(result, s), exitCode: runExitCode(result.status) };
    } finally {
      process.off("SIGINT", stop);
    }
  });
}

export async function commitRun(session: Session, id: string): Promise<CommandResult> {
  return withLocalStore(session.env, async (store) => {
    await new Journal(store, systemClock).markInterrupted(ownerIsDeadHere);
    await runRow(store, id);
    const result = await commitRunById(id, { store, clock: systemClock });
    return {
      json: { id, status: "committed", committed_steps: result.committed },
      text: (s) =>
        `run ${s.bold(id)} committed: what ${result.committed} step(s) kept for undo is purged; it can no longer be undone`,
    };
  });
}

/** Statuses in which a run is still moving (events may still come). */
const MOVING = new Set(["queued", "running", "rolling_back"]);

export async function runEvents(
  session: Session,
  id: string,
  options: { after?: string; follow?: boolean },
): Promise<CommandResult> {
  const afterSeq = options.after === undefined ? 0 : Number(options.after);
  if (!Number.isInteger(afterSeq) || afterSeq < 0) {
    throw new UsageError(
      `--after takes a sequence number (0 or more), not "${options.after}"`,
      "opsdojo runs events",
    );
  }
  if (options.follow) return followEvents(session, id, afterSeq);
  return withLocalStore(session.env, async (store) => {
    await runRow(store, id);
    const events = await new Journal(store, systemClock).events(id, afterSeq, 10_000);
    return {
      json: { items: events },
      text: () => events.map((e) => plainLine(id, e, [])).join("\n"),
    };
  });
}

/**
 * `runs events --follow`: print events as they are journalled (JSON lines under --json) until
 * the run comes to rest — finished, paused or interrupted (a dead owner is noticed on the way).
 */
function followEvents(session: Session, id: string, afterSeq: number): Promise<CommandResult> {
  const print = session.stdout ?? ((text: string) => void process.stdout.write(text));
  const show = (e: JournalEvent) => print(`${session.json ? JSON.stringify(e) : plainLine(id, e, [])}\n`);
  const running = withLocalStore(session.env, async (store) => {
    await runRow(store, id);
    const journal = new Journal(store, systemClock);
    let last = afterSeq;
    let polls = 0;
    for (;;) {
      const events = await journal.events(id, last, 1000);
      for (const e of events) show(e);
      last = events.at(-1)?.seq ?? last;
      if (events.length === 1000) continue;
      if (polls++ % 10 === 0) await journal.markInterrupted(ownerIsDeadHere);
      const status = await journal.status(id);
      if (!MOVING.has(status ?? "")) {
        const rest = await journal.events(id, last, 10_000);
        for (const e of rest) show(e);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });
  return Promise.resolve({ json: null, text: () => "", raw: true, running });
}

export function runsCommand(session: Session, run: Runner): Command {
  const command = new Command("runs").description("runs of operations: list, show, undo");
  command
    .command("list")
    .description("the latest runs, newest first")
    .action(() => run(() => listRuns(session)));
  command
    .command("show")
    .description("one run: its steps as journalled, its events and, when it failed, its diagnosis")
    .argument("<id>", "run id (run_…)")
    .action((id: string) => run(() => showRun(session, id)));
  command
    .command("events")
    .description("a run's events in order (each with its sequence number)")
    .argument("<id>", "run id (run_…)")
    .option("--after <seq>", "only events after this sequence number")
    .option("--follow", "keep printing events as they happen, until the run comes to rest")
    .action((id: string, options: { after?: string; follow?: boolean }) =>
      run(() => runEvents(session, id, options)),
    );
  command
    .command("resume")
    .description("continue a paused or interrupted run where it stopped")
    .argument("<id>", "run id (run_…)")
    .option(
      "--param <k=v>",
      "a secret param of the run again (secrets are never stored); repeat for more",
      collectList,
    )
    .addHelpText(
      "after",
      "\nSteps already done are not run again; the step in flight when the run stopped is restored from\nits recorded state and run again. Exit codes as for run: 0, 1, 2, 3.\n",
    )
    .action((id: string, options: { param?: string[] }) => run(() => resumeRun(session, id, options)));
  command
    .command("commit")
    .description("accept a finished run: purge what undo kept (pseudo-deleted files); no undo afterwards")
    .argument("<id>", "run id (run_…)")
    .action((id: string) => run(() => commitRun(session, id)));
  command
    .command("undo")
    .description("undo a finished, paused or interrupted run from its journal (idempotent)")
    .argument("<id>", "run id (run_…)")
    .option(
      "--param <k=v>",
      "a secret param of the run again (secrets are never stored); repeat for more",
      collectList,
    )
    .action((id: string, options: { param?: string[] }) => run(() => undoRun(session, id, options)));
  command.addCommand(runsExportCommand(session, run));
  return command;
}
