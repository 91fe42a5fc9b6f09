import { messageOf } from "../../core/index.ts";
import { ACTIONS, type ActionRegistry, stepUndoClass } from "../actions/index.ts";
import { recordDiagnosis } from "../diagnosis/index.ts";
import { HostSessions } from "../hosts/index.ts";
import { Journal, type Journal as JournalType, type StepKey, type StepRecord } from "../journal/index.ts";
import { interpolate } from "../loader/index.ts";
import { PathLockedError, PathLocks, pathsOf } from "../locks/index.ts";
import {
  type Check,
  type Operation,
  type ParamValue,
  parseDuration,
  type Step,
  type Target,
  targetsOf,
} from "../model/index.ts";
import type { ActionContext } from "../providers/provider.ts";
import {
  DEFAULT_CONFLICT_POLICY,
  type InFlightVerdict,
  type Recorded,
  reconcileInFlight,
  recordedOf,
  recordedStates,
  recordState,
  undoReconciled,
} from "../reconcile/index.ts";
import { loadRunInput, RunRecords } from "../runs/index.ts";
import { assertSecretsPresent, Redactor } from "../secrets/index.ts";
import { type NamedResult, runChecks } from "./checks.ts";
import { isHalted, LeaseLostError, ResumeConflictError, RunHaltedError, RunRefusedError } from "./errors.ts";
import { codesOf, stepFailure, withCause } from "./failure.ts";
import { loadIdentities, recordIdentities, renamedRecorded } from "./identities.ts";
import { LiveCheck } from "./live-check.ts";
import type {
  EngineOptions,
  FailureKind,
  RunPhase,
  RunResult,
  StepFailure,
  TargetResult,
  Unrestored,
} from "./model.ts";
import { currentOwner } from "./owner.ts";

type Outputs = Record<string, { output: unknown }>;

interface Ctx {
  readonly op: Operation;
  readonly params: Record<string, ParamValue>;
  readonly runId: string;
  readonly journal: JournalType;
  readonly actions: ActionRegistry;
  readonly options: EngineOptions;
  readonly signal: AbortSignal;
  /** Outputs of each target's steps, for `${steps.<name>.output…}` and explicit undos. */
  readonly outputs: Map<string, Outputs>;
  /** On resume: what the journal already holds for each `target\u0000stepIndex`. */
  readonly prior: ReadonlyMap<string, StepRecord>;
  /** On resume: done steps whose post-condition failed — verified again, not run again. */
  readonly recheck: ReadonlySet<string>;
  /** The paths this run changes are locked against other runs until it ends. */
  readonly locks: PathLocks;
  /** The run's SSH connections (one per host, shared by its steps), closed when the run ends. */
  readonly hosts: HostSessions;
  /** Whether `run.stop_requested` has been journalled (once per run). */
  stopNoted?: boolean;
  /** The run checked against its operation's completed runs (run.deviation events). */
  readonly live: LiveCheck;
}

const priorKey = (target: string, index: number) => `${target}\u0000${index}`;

function journalOf(options: EngineOptions, redactor?: Redactor): JournalType {
  return new Journal(options.store, options.clock, options.onEvent, redactor);
}

/** A run's secrets (and the environment) kept out of its journal; see secrets/redactor.ts. */
function redactorOf(input: { operation: Pick<Operation, "params">; params: Record<string, ParamValue> }) {
  return Redactor.forRun(input.operation, input.params);
}

function scopeOf(ctx: Pick<Ctx, "params" | "runId">, target: Target, outputs: Outputs = {}) {
  return {
    params: ctx.params,
    target: { name: target.name, vars: target.vars ?? {} },
    steps: outputs,
    run: { id: ctx.runId },
  };
}

function batchSize(op: Operation, targets: number): number {
  const size = op.strategy?.batch_size ?? 1;
  if (typeof size === "number") return Math.max(1, size);
  const pct = Number(String(size).replace("%", ""));
  return Math.max(1, Math.ceil((targets * pct) / 100));
}

async function steadyState(
  ctx: Pick<Ctx, "op" | "params" | "runId" | "signal"> & { readonly hosts?: HostSessions },
  targets: readonly Target[],
): Promise<{ ok: true } | { ok: false; target: string; check: NamedResult; kind: "check" | "reference" }> {
  const checks = ctx.op.steady_state ?? [];
  if (checks.length === 0) return { ok: true };
  for (const target of targets) {
    let resolved: Check[];
    try {
      resolved = interpolate(checks, scopeOf(ctx, target)) as Check[];
    } catch (error) {
      const message = messageOf(error);
      return {
        ok: false,
        target: target.name,
        kind: "reference",
        check: {
          name: "interpolation",
          ok: false,
          expected: "every reference resolves",
          observed: message,
        } as NamedResult,
      };
    }
    const host = ctx.hosts?.hostOf(target);
    const result = await runChecks(resolved, { signal: ctx.signal, ...(host ? { host } : {}) });
    const failed = result.results.find((r) => !r.ok);
    if (failed) return { ok: false, target: target.name, check: failed, kind: "check" };
  }
  return { ok: true };
}

/**
 * Run an operation: steady state first, then targets in batches, every action journalled before
 * it runs; on failure, the chosen `on_failure`, and after a rollback the steady state again —
 * `rolled_back` only when it passes and everything was restored.
 */
export async function runOperation(
  input: {
    operation: Operation;
    operationId: string;
    params: Record<string, ParamValue>;
    /** The person starting it, recorded on the run (`runs list`'s BY); undefined: not recorded. */
    startedBy?: string | undefined;
  },
  options: EngineOptions,
): Promise<RunResult> {
  const op = input.operation;
  const signal = options.signal ?? new AbortController().signal;
  const redactor = redactorOf(input);
  const hosts = new HostSessions(targetsOf(op), input.params, options.remote);
  const pre = await steadyState(
    { op, params: input.params, runId: "pending", signal, hosts },
    targetsOf(op),
  ).catch((error: unknown) => {
    hosts.close();
    throw error;
  });
  if (!pre.ok) {
    hosts.close();
    throw new RunRefusedError(
      redactor.reason(
        `the steady state fails before the run on ${pre.target}: ${pre.check.name}: expected ${pre.check.expected}, observed ${pre.check.observed}; nothing was changed`,
      ),
      redactor.value(pre.check),
    );
  }
  const owner = options.owner ?? currentOwner();
  const runId = await journalOf(options, redactor).startRun({
    operationId: input.operationId,
    operationName: op.name,
    params: input.params,
    owner,
    leaseMs: options.leaseMs ?? 30_000,
    startedBy: input.startedBy,
  });
  return withLease(runId, input, options, new Map(), (ctx) => execute(ctx, targetsOf(op)), new Set(), hosts);
}

/**
 * Put a run in the queue without running it (the API's `POST /api/runs`): a server process
 * claims it with `runClaimed`.
 */
export async function queueRun(
  input: {
    operation: Pick<Operation, "params">;
    operationId: string;
    operationName: string;
    params: Record<string, ParamValue>;
    /** Chosen by the caller, who hands the run's secrets to the executor under it first. */
    id?: string;
    /** The digest of the Idempotency-Key it is queued under (RunsApi). */
    requestKey?: string;
    /** Who asked for it (the request's token): the node that executes it later is not who started it. */
    startedBy?: string | undefined;
  },
  options: EngineOptions,
): Promise<string> {
  const { operation, ...run } = input;
  return journalOf(options, redactorOf(input)).startRun({ ...run, leaseMs: options.leaseMs ?? 30_000 });
}

/**
 * Run a run this process has claimed (`Journal.claimQueued`): the steady state first — a run
 * whose steady state fails before it starts ends `refused`, having changed nothing.
 */
export async function runClaimed(
  runId: string,
  input: { operation: Operation; params: Record<string, ParamValue> },
  options: EngineOptions,
): Promise<RunResult> {
  const op = input.operation;
  const signal = options.signal ?? new AbortController().signal;
  assertSecretsPresent(runId, op, input.params);
  const hosts = new HostSessions(targetsOf(op), input.params, options.remote);
  const pre = await steadyState({ op, params: input.params, runId, signal, hosts }, targetsOf(op)).catch(
    (error: unknown) => {
      hosts.close();
      throw error;
    },
  );
  if (!pre.ok) {
    hosts.close();
    const failure = stepFailure(
      { target: pre.target, step: "steady_state", kind: pre.kind, phase: "steady_state_before" },
      `the steady state fails before the run: ${pre.check.name}: expected ${pre.check.expected}, observed ${pre.check.observed}; nothing was changed`,
      { check: pre.check },
    );
    const targets = targetsOf(op).map((t) => ({ name: t.name, status: "not_run" as const }));
    const result: RunResult = { id: runId, status: "refused", targets, unrestored: [], failure };
    const redactor = redactorOf(input);
    await journalOf(options, redactor).setStatus(runId, "refused", { failure }, result);
    return redactor.value(await recordDiagnosis(result, input, options, redactor));
  }
  return withLease(runId, input, options, new Map(), (ctx) => execute(ctx, targetsOf(op)), new Set(), hosts);
}

/**
 * `runs resume`: continue a paused or interrupted run where it stopped. Steps the journal shows
 * done are not run again (their outputs are reused); the step that was in flight or failed is
 * first restored from its recorded pre-state (automatic undo) and then run again — an
 * explicit-undo action in flight is run again as it is, so it should be safe to repeat.
 */
export async function resumeRunById(
  runId: string,
  options: EngineOptions & RunInputOptions,
): Promise<RunResult>;
export async function resumeRunById(
  runId: string,
  input: { operation: Operation; params: Record<string, ParamValue> },
  options: EngineOptions,
): Promise<RunResult>;
export async function resumeRunById(
  runId: string,
  inputOrOptions:
    | { operation: Operation; params: Record<string, ParamValue> }
    | (EngineOptions & RunInputOptions),
  maybeOptions?: EngineOptions,
): Promise<RunResult> {
  const [input, options] = await inputAndOptions(runId, inputOrOptions, maybeOptions);
  assertSecretsPresent(runId, input.operation, input.params);
  const journal = journalOf(options, redactorOf(input));
  const status = await journal.status(runId);
  if (status !== "paused" && status !== "interrupted") {
    throw new RunRefusedError(
      `run ${runId} is ${status ?? "unknown"}; only a paused or interrupted run can be resumed`,
    );
  }
  const records = await journal.steps(runId);
  const rolling = records.find((r) => ["undoing", "undone", "undo_failed"].includes(r.state));
  if (rolling) {
    throw new RunRefusedError(
      `run ${runId} was rolling back when it stopped (${rolling.target}/${rolling.stepName} is ${rolling.state}); finish the rollback with opsdojo runs undo ${runId}`,
    );
  }
  const owner = options.owner ?? currentOwner();
  const claimed = await journal.claim(runId, {
    owner,
    leaseMs: options.leaseMs ?? 30_000,
    from: ["paused", "interrupted"],
    to: "running",
  });
  if (!claimed) throw new RunRefusedError(`run ${runId} was taken over by another process meanwhile`);
  options.onClaimed?.();
  const prior = new Map(records.map((r) => [priorKey(r.target, r.stepIndex), r]));
  const recheck = new Set<string>();
  const indexOf = new Map(input.operation.steps.map((step, i) => [step.name, i]));
  for (const event of await journal.events(runId, 0, 100_000)) {
    if (event.type !== "check.failed" || event.data.phase !== "post") continue;
    const index = indexOf.get(String(event.data.step));
    if (index !== undefined) recheck.add(priorKey(String(event.data.target), index));
  }
  return withLease(runId, input, options, prior, (ctx) => execute(ctx, targetsOf(input.operation)), recheck);
}

/** Hold the run's lease (renewed in the background) while `work` runs. */
async function withLease(
  runId: string,
  input: { operation: Operation; params: Record<string, ParamValue> },
  options: EngineOptions,
  prior: ReadonlyMap<string, StepRecord>,
  work: (ctx: Ctx) => Promise<RunResult>,
  recheck: ReadonlySet<string> = new Set(),
  hosts: HostSessions = new HostSessions(targetsOf(input.operation), input.params, options.remote),
): Promise<RunResult> {
  const redactor = redactorOf(input);
  const journal = journalOf(options, redactor);
  const owner = options.owner ?? currentOwner();
  const leaseMs = options.leaseMs ?? 30_000;
  // Fencing, as far as a process can fence itself: a renewal refused because another node took
  // the run over halts the work here at its next check, and nothing more is journalled.
  const lost = new AbortController();
  const renew = setInterval(
    () =>
      void journal
        .renewLease(runId, owner, leaseMs)
        .then(async (held) => {
          if (!held && !lost.signal.aborted && (await journal.lostBy(runId, owner)))
            lost.abort(new LeaseLostError(runId));
        })
        .catch(() => {}),
    Math.max(1000, leaseMs / 3),
  );
  renew.unref();
  const outputs = new Map<string, Outputs>();
  for (const r of prior.values()) {
    if (r.state !== "done") continue;
    const forTarget = outputs.get(r.target) ?? {};
    forTarget[r.stepName] = { output: r.output };
    outputs.set(r.target, forTarget);
  }
  const ctx: Ctx = {
    op: input.operation,
    params: input.params,
    runId,
    journal,
    actions: options.actions ?? ACTIONS,
    options,
    signal: options.signal ? AbortSignal.any([options.signal, lost.signal]) : lost.signal,
    outputs,
    prior,
    recheck,
    locks: options.locks ?? new PathLocks({ owner, clock: options.clock }),
    hosts,
    live: new LiveCheck(options, input.operation.name, runId, journal),
  };
  try {
    // A run that ends not succeeded carries a diagnosis; making it never changes the outcome.
    // What is returned is shown (CLI output, logs) as what is stored: with no secret in it.
    return redactor.value(await recordDiagnosis(await work(ctx), input, options, redactor));
  } catch (error) {
    if (!(error instanceof RunHaltedError)) throw error;
    if (error instanceof LeaseLostError) {
      return { id: runId, status: "interrupted", targets: [], unrestored: [] };
    }
    return redactor.value(await halted(ctx, error));
  } finally {
    clearInterval(renew);
    ctx.hosts.close();
    await ctx.locks.releaseRun(runId).catch(() => {});
  }
}

/**
 * The process stops under the run: left `interrupted`, its journal as a kill would leave it (the
 * step in flight still `intent`), so `runs undo` and `runs resume` take it from there.
 */
async function halted(ctx: Ctx, error: RunHaltedError): Promise<RunResult> {
  const records = await ctx.journal.steps(ctx.runId);
  const result: RunResult = {
    id: ctx.runId,
    status: "interrupted",
    targets: targetsOf(ctx.op).map((t) => ({
      name: t.name,
      status: records.some((r) => r.target === t.name) ? "failed" : "not_run",
    })),
    unrestored: error instanceof ResumeConflictError ? [error.unrestored] : [],
  };
  await ctx.journal.setStatus(ctx.runId, "interrupted", { reason: error.message }, result);
  return result;
}

/**
 * `runs undo`: undo a finished, paused or interrupted run from its journal alone — newest change
 * first, the step that was in flight included — then verify the steady state. Idempotent: steps
 * already undone are left alone, so a second undo changes nothing.
 */
export async function undoRunById(
  runId: string,
  options: EngineOptions & RunInputOptions,
): Promise<RunResult>;
/** The same with the input given: for a run of an operation that was never registered (tests, benches). */
export async function undoRunById(
  runId: string,
  input: { operation: Operation; params: Record<string, ParamValue> },
  options: EngineOptions,
): Promise<RunResult>;
export async function undoRunById(
  runId: string,
  inputOrOptions:
    | { operation: Operation; params: Record<string, ParamValue> }
    | (EngineOptions & RunInputOptions),
  maybeOptions?: EngineOptions,
): Promise<RunResult> {
  const [input, options] = await inputAndOptions(runId, inputOrOptions, maybeOptions);
  assertSecretsPresent(runId, input.operation, input.params);
  const journal = journalOf(options, redactorOf(input));
  const status = await journal.status(runId);
  if (status === "committed")
    throw new RunRefusedError(`run ${runId} was committed; its changes can no longer be undone`);
  if (status === "running" || status === "rolling_back" || status === "queued") {
    throw new RunRefusedError(
      `run ${runId} is ${status} in another process; wait for it, or for its lease to expire`,
    );
  }
  const claimed = await journal.claim(runId, {
    owner: options.owner ?? currentOwner(),
    leaseMs: options.leaseMs ?? 30_000,
    from: UNDOABLE,
    to: "rolling_back",
  });
  if (!claimed) throw new RunRefusedError(`run ${runId} was taken over by another process meanwhile`);
  options.onClaimed?.();
  const records = await journal.steps(runId);
  const prior = new Map(records.map((r) => [priorKey(r.target, r.stepIndex), r]));
  return withLease(runId, input, options, prior, (ctx) => {
    for (const r of records) {
      if (r.output === null) continue;
      const forTarget = ctx.outputs.get(r.target) ?? {};
      forTarget[r.stepName] = { output: r.output };
      ctx.outputs.set(r.target, forTarget);
    }
    const targets = targetsOf(input.operation);
    const results: TargetResult[] = targets.map((t) => ({
      name: t.name,
      status: records.some((r) => r.target === t.name) ? "failed" : "not_run",
    }));
    return rollback(ctx, targets, results, undefined);
  });
}

/** Statuses from which `runs undo` may take a run over. */
const UNDOABLE = [
  "paused",
  "interrupted",
  "failed",
  "succeeded",
  "refused",
  "rolled_back",
  "rollback_incomplete",
] as const;

/**
 * `runs commit`: accept a finished run — every action purges what it kept for undo (pseudo-deleted
 * files); the run becomes `committed` and can no longer be undone.
 */
export async function commitRunById(
  runId: string,
  options: EngineOptions,
): Promise<{ id: string; committed: number }> {
  const journal = journalOf(options);
  const status = await journal.status(runId);
  if (status === "running" || status === "rolling_back" || status === "queued") {
    throw new RunRefusedError(`run ${runId} is ${status}; commit it when it has finished`);
  }
  if (status === "committed") return { id: runId, committed: 0 };
  const providers = (options.actions ?? ACTIONS).providers;
  const signal = new AbortController().signal;
  let committed = 0;
  const ids = await loadIdentities(journal, runId);
  // What was moved aside on a host over SSH is purged there: the targets say how to reach it.
  const stored = await new RunRecords(options.store).withOperation(runId);
  const hosts = new HostSessions(
    stored ? targetsOf(stored.operation.operation) : [],
    stored ? (JSON.parse(stored.run.params) as Record<string, ParamValue>) : {},
    options.remote,
  );
  try {
    for (const record of await journal.steps(runId)) {
      // A kept step's backups are the run's to purge like a done step's (what it kept aside is not).
      if (record.state !== "done" && record.state !== "kept") continue;
      const provider = providers.get(record.action);
      const host = hosts.hostOf(record.target);
      await provider?.commit?.(ids.rewrite(record.input), ids.rewrite(record.preState), {
        runId,
        blobs: options.store.blobs,
        signal,
        ...(host ? { host } : {}),
      });
      committed++;
    }
  } finally {
    hosts.close();
  }
  await journal.setStatus(runId, "committed", { steps: committed });
  return { id: runId, committed };
}

async function execute(ctx: Ctx, targets: readonly Target[]): Promise<RunResult> {
  const results: TargetResult[] = targets.map((t) => ({ name: t.name, status: "not_run" }));
  const size = batchSize(ctx.op, targets.length);
  const maxFailures = ctx.op.strategy?.max_failures ?? 0;
  const onFailure = ctx.op.strategy?.on_failure ?? "rollback";
  let failures = 0;
  let firstFailure: StepFailure | undefined;
  const unrestored: Unrestored[] = [];

  for (let start = 0; start < targets.length; start += size) {
    const batch = targets.slice(start, start + size);
    await ctx.journal.note(ctx.runId, "batch.started", { targets: batch.map((t) => t.name) });
    const settled = await Promise.allSettled(
      batch.map(async (target) => {
        const result = results[targets.indexOf(target)] as TargetResult;
        const failure = await runTarget(ctx, target);
        if (!failure) {
          result.status = "succeeded";
          return;
        }
        result.status = "failed";
        result.failure = failure;
        failures++;
        firstFailure ??= failure;
      }),
    );
    // Every target of the batch has stopped before a halt (or any other throw) leaves the run.
    const thrown = settled.find((r) => r.status === "rejected");
    if (thrown) throw thrown.reason;
    if (isHalted(ctx.signal)) throw ctx.signal.reason;
    if (failures === 0) continue;
    if (onFailure === "pause") {
      const result: RunResult = {
        id: ctx.runId,
        status: "paused",
        targets: results,
        unrestored,
        ...(firstFailure ? { failure: firstFailure } : {}),
      };
      await ctx.journal.setStatus(ctx.runId, "paused", { failure: firstFailure }, result);
      return result;
    }
    const over = failures > maxFailures || ctx.signal.aborted;
    // `rollback`: past max_failures, every target goes back. `rollback-target`: only the failed
    // targets go back, the ones that succeeded keep the change, and no further batch starts.
    if (over && onFailure !== "rollback-target") return rollback(ctx, targets, results, firstFailure);
    // Tolerated (or rollback-target): the failed targets of this batch are restored.
    for (const target of batch) {
      const result = results[targets.indexOf(target)] as TargetResult;
      if (result.status !== "failed") continue;
      const lost = await undoTarget(ctx, target);
      unrestored.push(...lost);
      result.status = lost.length === 0 ? "rolled_back" : "rollback_incomplete";
    }
    if (over) break;
  }

  const post = await steadyState(ctx, targets);
  if (isHalted(ctx.signal)) throw ctx.signal.reason;
  if (!post.ok) {
    const failure = stepFailure(
      { target: post.target, step: "steady_state", kind: post.kind, phase: "steady_state_after" },
      `the steady state fails after the run: ${post.check.name}`,
      { check: post.check },
    );
    return rollback(ctx, targets, results, failure);
  }
  const result: RunResult = {
    id: ctx.runId,
    status: unrestored.length > 0 ? "rollback_incomplete" : failures === 0 ? "succeeded" : "failed",
    targets: results,
    unrestored,
    ...(firstFailure ? { failure: firstFailure } : {}),
  };
  await ctx.journal.setStatus(ctx.runId, result.status, {}, result);
  return result;
}

async function rollback(
  ctx: Ctx,
  targets: readonly Target[],
  results: TargetResult[],
  failure: StepFailure | undefined,
): Promise<RunResult> {
  await ctx.journal.setStatus(ctx.runId, "rolling_back", failure ? { failure } : {});
  const unrestored = await undoRun(ctx, targets);
  for (const result of results) {
    if (result.status === "not_run") continue;
    const lost = unrestored.some((u) => u.target === result.name);
    result.status = lost ? "rollback_incomplete" : "rolled_back";
  }
  // A rollback is verified, not assumed: the steady state must hold again.
  const check = await steadyState({ ...ctx, signal: new AbortController().signal }, targets);
  if (!check.ok)
    unrestored.push({
      target: check.target,
      step: "steady_state",
      reason: `${check.check.name}: expected ${check.check.expected}, observed ${check.check.observed}`,
    });
  const status = unrestored.length === 0 ? "rolled_back" : "rollback_incomplete";
  const result: RunResult = {
    id: ctx.runId,
    status,
    targets: results,
    unrestored,
    ...(failure ? { failure } : {}),
  };
  await ctx.journal.setStatus(ctx.runId, status, { unrestored }, result);
  return result;
}

/** Run one target's steps in order; the failure, or undefined when every step succeeded. */
async function runTarget(ctx: Ctx, target: Target): Promise<StepFailure | undefined> {
  const outputs: Outputs = ctx.outputs.get(target.name) ?? {};
  ctx.outputs.set(target.name, outputs);
  for (const [index, step] of ctx.op.steps.entries()) {
    if (isHalted(ctx.signal)) throw ctx.signal.reason;
    const failure = ctx.signal.aborted
      ? stepFailure({ target: target.name, step: step.name, kind: "stopped", phase: "prepare" }, STOPPED)
      : await runStep(ctx, target, index, step, outputs);
    if (failure && ctx.signal.aborted) await noteStop(ctx, failure);
    if (failure) return failure;
  }
  return undefined;
}

const STOPPED = "the run was stopped (Ctrl-C or a stop request)";

/**
 * A step that fails because the run was stopped failed for that reason, whatever its action said
 * on the way out (a killed command, a check cut short): the diagnosis must not blame a slow
 * service for a user's Ctrl-C.
 */
function stoppedOr(ctx: Ctx, reason: string): string {
  if (!ctx.signal.aborted || reason.startsWith(STOPPED)) return reason;
  return `${STOPPED} during this step (${reason})`;
}

/** `run.stop_requested`, once per run: when and where the user's stop reached the engine. */
async function noteStop(ctx: Ctx, failure: StepFailure): Promise<void> {
  if (ctx.stopNoted) return;
  ctx.stopNoted = true;
  await ctx.journal.note(ctx.runId, "run.stop_requested", { target: failure.target, step: failure.step });
}

/** What an action gets to work with; on a target over SSH, its host. */
function actionContext(ctx: Ctx, signal: AbortSignal, target: Target | string): ActionContext {
  const sleep = ctx.options.sleep;
  const host = ctx.hosts.hostOf(target);
  return {
    runId: ctx.runId,
    blobs: ctx.options.store.blobs,
    signal,
    ...(sleep ? { sleep } : {}),
    ...(host ? { host } : {}),
  };
}

/** Plans shown in full up to this many actions; beyond, counted per action. */
const PLAN_SHOWN = 20;

/** The context of an undo: a plan the provider's planner finds is journalled before it runs. */
function undoContext(ctx: Ctx, signal: AbortSignal, record: StepRecord): ActionContext {
  const where = { target: record.target, step_index: record.stepIndex, step: record.stepName };
  return {
    ...actionContext(ctx, signal, record.target),
    onPlan: async (report) => {
      if (!report.found) {
        await ctx.journal.note(ctx.runId, "step.undo_planned", { ...where, ...report });
        return;
      }
      const counts: Record<string, number> = {};
      for (const a of report.actions) counts[a.action] = (counts[a.action] ?? 0) + 1;
      await ctx.journal.note(ctx.runId, "step.undo_planned", {
        ...where,
        found: true,
        length: report.actions.length,
        counts,
        plan: report.actions.slice(0, PLAN_SHOWN).map((a) => a.description),
        expansions: report.expansions,
        ms: Math.round(report.ms * 100) / 100,
      });
    },
  };
}

async function runStep(
  ctx: Ctx,
  target: Target,
  index: number,
  step: Step,
  outputs: Outputs,
): Promise<StepFailure | undefined> {
  const key: StepKey = { runId: ctx.runId, target: target.name, stepIndex: index };
  // A step that fails because the run was stopped failed for that reason (see stoppedOr).
  const fail = (
    kind: FailureKind,
    phase: RunPhase,
    message: string,
    options: { error?: unknown; check?: NamedResult | undefined } = {},
  ): StepFailure =>
    stepFailure(
      { target: target.name, step: step.name, kind: ctx.signal.aborted ? "stopped" : kind, phase },
      stoppedOr(ctx, message),
      options,
    );
  const failed = (phase: "pre" | "post", v: Verified) =>
    fail(v.kind, phase, v.message, { error: v.error, check: v.check });
  const before = ctx.prior.get(priorKey(target.name, index));
  if (before?.state === "done") {
    if (!ctx.recheck.has(priorKey(target.name, index))) return undefined;
    const post = await verifyPhase(ctx, target, step, "post", outputs);
    return post ? failed("post", post) : undefined;
  }
  // Kept by an earlier resume (policy keep): the version found stays, the step is not run.
  if (before?.state === "kept") return undefined;
  let finishing: StepRecord | undefined;
  if (before) {
    const settled = await settleInFlight(ctx, target, step, before, outputs);
    if (settled.kind === "failed") return fail("action", "undo", settled.message, { error: settled.error });
    if (settled.kind === "kept") return undefined;
    if (settled.kind === "finish") finishing = before;
  }
  const scope = scopeOf(ctx, target, outputs);
  let input: Record<string, unknown>;
  try {
    input = interpolate(step.with ?? {}, scope) as Record<string, unknown>;
  } catch (error) {
    return fail("reference", "prepare", messageOf(error), { error });
  }
  // A step found finished was past its gate when it was cut off; the world has moved on since.
  const gate = finishing ? undefined : await verifyPhase(ctx, target, step, "pre", outputs);
  if (isHalted(ctx.signal)) throw ctx.signal.reason;
  if (gate) return failed("pre", gate);
  const provider = ctx.actions.providers.get(step.uses);
  if (!provider) return fail("input", "prepare", `the action ${step.uses} is not available in this build`);
  try {
    provider.validate(input);
  } catch (error) {
    return fail("input", "prepare", messageOf(error), { error });
  }
  try {
    // Before the pre-state is captured: what another run is changing is not a state to record.
    // On a host over SSH its paths are that host's: locked under its address.
    const host = ctx.hosts.hostOf(target);
    const paths = pathsOf(step.uses, input).map((p) => (host ? `/@${host.address}${p}` : p));
    await ctx.locks.acquire(ctx.runId, paths, ctx.signal);
  } catch (error) {
    const kind = error instanceof PathLockedError ? "locked" : "action";
    return fail(kind, "prepare", messageOf(error), { error });
  }
  const timeoutMs = step.timeout ? parseDuration(step.timeout) : undefined;
  const retries = step.retries?.count ?? 0;
  const delayMs = step.retries?.delay ? (parseDuration(step.retries.delay) ?? 0) : 0;
  const captureSignal = timeoutMs
    ? AbortSignal.any([ctx.signal, AbortSignal.timeout(timeoutMs)])
    : ctx.signal;
  let preState: unknown;
  if (finishing) {
    // The world is already as the step leaves it: act again from the state captured the first
    // time (idempotent towards its goal, it changes nothing) for the step's output.
    preState = finishing.preState;
  } else {
    try {
      preState = await provider.capture(input, actionContext(ctx, captureSignal, target));
    } catch (error) {
      if (isHalted(ctx.signal)) throw ctx.signal.reason;
      return fail("action", "prepare", withCause(`could not record the state before ${step.uses}`, error), {
        error,
      });
    }
  }
  // Journal first: intent and captured state are committed before the action touches anything.
  // (A step intended again keeps its first captured state and its first recorded pre-state.)
  if (!finishing && stepUndoClass(step, ctx.actions) === "irreversible") {
    // The point of no return: said (and journalled) right before it, not only at the start.
    await ctx.journal.note(ctx.runId, "step.irreversible", {
      target: target.name,
      step: step.name,
      reason:
        step.undo === "none"
          ? "declared irreversible (undo: none)"
          : `${step.uses} has no automatic undo and the step declares none`,
    });
  }
  await ctx.journal.intend(key, { name: step.name, action: step.uses, input, preState });
  const stopSlowTimer = await ctx.live.started(target.name, step.name);
  if (!finishing)
    await recordState(
      ctx.journal,
      key,
      "pre",
      provider,
      input,
      preState,
      actionContext(ctx, captureSignal, target),
      step.on_conflict ?? DEFAULT_CONFLICT_POLICY,
    );
  let output: unknown;
  for (let attempt = 0; ; attempt++) {
    const signal = timeoutMs ? AbortSignal.any([ctx.signal, AbortSignal.timeout(timeoutMs)]) : ctx.signal;
    try {
      output = await provider.act(input, preState, actionContext(ctx, signal, target));
      break;
    } catch (error) {
      // Halted: no outcome is journalled — the record stays `intent`, as a kill would leave it.
      if (isHalted(ctx.signal)) {
        stopSlowTimer();
        throw ctx.signal.reason;
      }
      const e = error as { retryable?: unknown };
      const timedOut = signal.aborted && !ctx.signal.aborted;
      const reason = timedOut ? `timed out after ${step.timeout}` : messageOf(error);
      if (attempt < retries && (e.retryable !== false || timedOut) && !ctx.signal.aborted) {
        await ctx.journal.note(ctx.runId, "step.retrying", {
          target: target.name,
          step: step.name,
          attempt: attempt + 1,
          reason,
        });
        await ctx.live.retried(target.name, step.name);
        if (delayMs > 0)
          await (ctx.options.sleep?.(delayMs, ctx.signal).catch(() => {}) ??
            new Promise((resolve) => setTimeout(resolve, delayMs)));
        continue;
      }
      stopSlowTimer();
      // A host lost during the act: what it did there before the connection dropped is unknown.
      const unknown = signal.aborted || codesOf(error).code === "host_unreachable";
      await ctx.journal.fail(key, stoppedOr(ctx, reason), unknown ? "unknown" : undefined);
      return fail(timedOut ? "timeout" : "action", "act", reason, { error });
    }
  }
  stopSlowTimer();
  await ctx.journal.finish(key, output);
  await ctx.live.finished(target.name, step.name);
  await recordState(
    ctx.journal,
    key,
    "post",
    provider,
    input,
    preState,
    actionContext(ctx, ctx.signal, target),
  );
  outputs[step.name] = { output };
  const post = await verifyPhase(ctx, target, step, "post", outputs);
  if (isHalted(ctx.signal)) throw ctx.signal.reason;
  return post ? failed("post", post) : undefined;
}

/** Why a step's conditions do not hold: a check that failed, or one that cannot be evaluated. */
interface Verified {
  readonly kind: "check" | "reference";
  readonly message: string;
  readonly check?: NamedResult;
  readonly error?: unknown;
}

/**
 * A step's pre- or post-conditions, each failure journalled; the failure, or undefined when they
 * hold. A check whose `${…}` cannot be resolved (an output field the action did not return)
 * fails like any other check — it never escapes the run and leaves it half done.
 */
async function verifyPhase(
  ctx: Ctx,
  target: Target,
  step: Step,
  phase: "pre" | "post",
  outputs: Outputs,
): Promise<Verified | undefined> {
  const checks = phase === "pre" ? step.pre : step.post;
  if (!checks || checks.length === 0) return undefined;
  let resolved: Check[];
  try {
    resolved = interpolate(checks, scopeOf(ctx, target, outputs)) as Check[];
  } catch (error) {
    await ctx.journal.note(ctx.runId, "check.failed", {
      target: target.name,
      step: step.name,
      phase,
      check: "interpolation",
      expected: "every reference resolves",
      observed: messageOf(error),
    });
    return { kind: "reference", message: withCause(`${phase}-condition cannot be evaluated`, error), error };
  }
  const host = ctx.hosts.hostOf(target);
  const verify = await runChecks(resolved, { signal: ctx.signal, ...(host ? { host } : {}) });
  if (verify.ok) return undefined;
  const check = verify.results.at(-1) as NamedResult;
  await ctx.journal.note(ctx.runId, "check.failed", {
    target: target.name,
    step: step.name,
    phase,
    check: check.name,
    expected: check.expected,
    observed: check.observed,
  });
  return {
    kind: "check",
    message: `${phase}-condition ${check.name} failed: expected ${check.expected}, observed ${check.observed}`,
    check,
  };
}

/**
 * On resume, a step that was in flight (or failed) when the run stopped is first put back to
 * its recorded pre-state when its action undoes automatically; the reason when that fails.
 */
async function restoreInFlight(
  ctx: Ctx,
  record: StepRecord,
): Promise<{ message: string; error?: unknown } | undefined> {
  const provider = ctx.actions.providers.get(record.action);
  // Only an action that undoes itself (automatic or by plan) can be put back before running again.
  const undo = ctx.actions.undoOf(record.action);
  if (provider === undefined || (undo !== "automatic" && undo !== "planned")) return undefined;
  try {
    const outcome = await provider.undo(record.input, record.preState, undoContext(ctx, ctx.signal, record));
    if (outcome.restored) return undefined;
    return { message: `could not restore the interrupted step before running it again: ${outcome.reason}` };
  } catch (error) {
    return {
      message: withCause("could not restore the interrupted step before running it again", error),
      error,
    };
  }
}

type InFlightSettled =
  | { readonly kind: "redo" | "finish" | "kept" }
  | { readonly kind: "failed"; readonly message: string; readonly error?: unknown };

/**
 * The step a resume finds in flight, reconciled before it is acted on again
 * (reconcile/in-flight.ts): as before the step → undone (clearing any half-work) and run again;
 * as the step leaves it → finished; anything else → a conflict, by the policy of `--on-conflict`,
 * the step's `on_conflict`, or `refuse` (the resume stops, the run stays interrupted).
 */
async function settleInFlight(
  ctx: Ctx,
  target: Target,
  step: Step,
  record: StepRecord,
  outputs: Outputs,
): Promise<InFlightSettled> {
  const provider = ctx.actions.providers.get(record.action);
  const undo = ctx.actions.undoOf(record.action);
  if (provider === undefined || (undo !== "automatic" && undo !== "planned")) return { kind: "redo" };
  const recorded = recordedOf(await recordedStates(ctx.journal, ctx.runId), record.target, record.stepIndex);
  const why = "could not reconcile the interrupted step before running it again";
  let verdict: InFlightVerdict;
  try {
    verdict = await reconcileInFlight({
      journal: ctx.journal,
      record,
      provider,
      recorded,
      policy: ctx.options.onConflict ?? step.on_conflict ?? DEFAULT_CONFLICT_POLICY,
      context: undoContext(ctx, ctx.signal, record),
      goalReached: async () => {
        const input = interpolate(step.with ?? {}, scopeOf(ctx, target, outputs));
        const previews = await provider.describe(input, actionContext(ctx, ctx.signal, target));
        return previews.length > 0 && previews.every((p) => p.change === "none");
      },
    });
  } catch (error) {
    return { kind: "failed", message: withCause(why, error), error };
  }
  const key: StepKey = { runId: ctx.runId, target: record.target, stepIndex: record.stepIndex };
  switch (verdict.kind) {
    case "finish":
      return { kind: "finish" };
    case "restored":
      return { kind: "redo" };
    case "kept": {
      const names = verdict.conflicts.map((c) => c.resource).join(", ");
      await ctx.journal.kept(key, `kept as found when the run was resumed: ${names}`);
      return { kind: "kept" };
    }
    case "refused":
      throw new ResumeConflictError(verdict.reason, {
        target: record.target,
        step: record.stepName,
        reason: verdict.reason,
        conflicts: [...verdict.conflicts],
      });
    case "not_restored":
      return { kind: "failed", message: `${why}: ${verdict.reason}` };
    case "redo": {
      const restored = await restoreInFlight(ctx, record);
      return restored ? { kind: "failed", ...restored } : { kind: "redo" };
    }
  }
}

/** Undo every step of the run that may have changed something, newest first, all targets. */
async function undoRun(ctx: Ctx, targets: readonly Target[]): Promise<Unrestored[]> {
  const records = (await ctx.journal.steps(ctx.runId)).filter((r) =>
    ["intent", "done", "failed", "undoing", "undo_failed"].includes(r.state),
  );
  const owed = await compensationOwed(ctx);
  const recorded = await recordedStates(ctx.journal, ctx.runId);
  const unrestored: Unrestored[] = [];
  for (const record of records.reverse()) {
    const target = targets.find((t) => t.name === record.target);
    if (!target) continue;
    const lost = await undoStep(ctx, target, record, owed, recorded);
    if (lost) unrestored.push(lost);
  }
  return unrestored;
}

async function undoTarget(ctx: Ctx, target: Target): Promise<Unrestored[]> {
  const records = (await ctx.journal.steps(ctx.runId)).filter(
    (r) => r.target === target.name && ["intent", "done", "failed", "undoing"].includes(r.state),
  );
  const owed = await compensationOwed(ctx);
  const recorded = await recordedStates(ctx.journal, ctx.runId);
  const unrestored: Unrestored[] = [];
  for (const record of records.sort((a, b) => b.stepIndex - a.stepIndex)) {
    const lost = await undoStep(ctx, target, record, owed, recorded);
    if (lost) unrestored.push(lost);
  }
  return unrestored;
}

/**
 * Steps that owe their explicit compensation, by `target\u0000index`: those whose action
 * completed, and those whose outcome is unknown — in flight when the process died or the server
 * stopped, or stopped part way (`step.failed` with `outcome: unknown`). Only a step whose action
 * said it failed is left alone. The last of a step's `step.started`/`succeeded`/`failed` events
 * decides (a resumed step starts again); the record alone cannot, as it moves on to
 * `undoing`/`undo_failed`.
 */
async function compensationOwed(ctx: Ctx): Promise<ReadonlySet<string>> {
  const indexOf = new Map(ctx.op.steps.map((step, i) => [step.name, i]));
  const last = new Map<string, "owed" | "failed">();
  for (let after = 0; ; ) {
    const events = await ctx.journal.events(ctx.runId, after, 5000);
    for (const e of events) {
      const target = String(e.data.target);
      if (e.type === "step.started") {
        const index = indexOf.get(String(e.data.step));
        if (index !== undefined) last.set(priorKey(target, index), "owed");
      } else if (e.type === "step.succeeded") last.set(priorKey(target, Number(e.data.step_index)), "owed");
      else if (e.type === "step.failed")
        last.set(
          priorKey(target, Number(e.data.step_index)),
          e.data.outcome === "unknown" ? "owed" : "failed",
        );
    }
    if (events.length < 5000) break;
    after = events.at(-1)?.seq ?? after;
  }
  return new Set([...last].filter(([, state]) => state === "owed").map(([key]) => key));
}

async function undoStep(
  ctx: Ctx,
  target: Target,
  record: StepRecord,
  owed: ReadonlySet<string>,
  recorded: ReadonlyMap<string, Recorded>,
): Promise<Unrestored | undefined> {
  const step = ctx.op.steps[record.stepIndex] as Step;
  const key: StepKey = { runId: ctx.runId, target: record.target, stepIndex: record.stepIndex };
  const lost = (reason: string): Unrestored => ({ target: record.target, step: record.stepName, reason });
  await ctx.journal.undoing(key);
  const signal = new AbortController().signal;
  try {
    if (step.undo === "none") {
      await ctx.journal.undoFailed(key, "declared irreversible (undo: none)");
      return lost("declared irreversible (undo: none)");
    }
    if (step.undo) {
      if (record.state !== "done" && !owed.has(priorKey(record.target, record.stepIndex))) {
        await ctx.journal.undone(key, "the action failed; its compensation was not run");
        return undefined;
      }
      const provider = ctx.actions.providers.get(step.undo.uses);
      if (!provider) throw new Error(`the undo action ${step.undo.uses} is not available in this build`);
      const outputs: Outputs = {
        ...(ctx.outputs.get(record.target) ?? {}),
        [record.stepName]: { output: record.output },
      };
      // Ids an earlier undo changed (a recreated volume) replace the ones the outputs name.
      const undoInput = (await loadIdentities(ctx.journal, ctx.runId)).rewrite(
        interpolate(step.undo.with ?? {}, scopeOf(ctx, target, outputs)),
      ) as Record<string, unknown>;
      provider.validate(undoInput);
      const state = await provider.capture(undoInput, actionContext(ctx, signal, target));
      await provider.act(undoInput, state, actionContext(ctx, signal, target));
      // A compensation is final: what it kept aside (a pseudo-deleted file) is purged now, as
      // nothing in the journal would find it again.
      await provider.commit?.(undoInput, state, actionContext(ctx, signal, target));
      await ctx.journal.undone(key, `compensated with ${step.undo.uses}`);
      return undefined;
    }
    const provider = ctx.actions.providers.get(record.action);
    if (!provider) throw new Error(`the action ${record.action} is not available in this build`);
    // An earlier undo of this run may have brought a resource back under a new id.
    const ids = await loadIdentities(ctx.journal, ctx.runId);
    const outcome = await undoReconciled({
      journal: ctx.journal,
      record: { ...record, input: ids.rewrite(record.input), preState: ids.rewrite(record.preState) },
      provider,
      recorded: renamedRecorded(ids, recordedOf(recorded, record.target, record.stepIndex)),
      policy: ctx.options.onConflict ?? step.on_conflict ?? DEFAULT_CONFLICT_POLICY,
      context: undoContext(ctx, signal, record),
    });
    if (outcome.kind === "undone") {
      await recordIdentities(ctx.journal, key, outcome.renamed);
      await ctx.journal.undone(key, outcome.detail, outcome.reason);
      return undefined;
    }
    if (outcome.kind === "kept") {
      await ctx.journal.kept(key, outcome.detail);
      return undefined;
    }
    await ctx.journal.undoFailed(key, outcome.reason);
    return { ...lost(outcome.reason), ...(outcome.conflicts ? { conflicts: outcome.conflicts } : {}) };
  } catch (error) {
    const reason = messageOf(error);
    await ctx.journal.undoFailed(key, reason);
    return lost(reason);
  }
}

/** What undo and resume load for themselves when only options are given: secrets given again, and who asks. */
export interface RunInputOptions {
  readonly secrets?: Readonly<Record<string, unknown>> | undefined;
  readonly how?: "cli" | "api";
}

/**
 * The two call forms of undo and resume: `(runId, options)` loads the run's input from the store
 * (runs/loadRunInput, the one way a stored run's operation and params are read back);
 * `(runId, input, options)` takes it as given.
 */
async function inputAndOptions(
  runId: string,
  inputOrOptions:
    | { operation: Operation; params: Record<string, ParamValue> }
    | (EngineOptions & RunInputOptions),
  maybeOptions: EngineOptions | undefined,
): Promise<[{ operation: Operation; params: Record<string, ParamValue> }, EngineOptions]> {
  if (maybeOptions !== undefined)
    return [inputOrOptions as { operation: Operation; params: Record<string, ParamValue> }, maybeOptions];
  const { secrets, how, ...options } = inputOrOptions as EngineOptions & RunInputOptions;
  const { operation, params } = await loadRunInput(options.store, runId, {
    secrets,
    ...(how ? { how } : {}),
  });
  return [{ operation, params }, options];
}
