import type { Transaction } from "kysely";
import type { Clock } from "../../core/index.ts";
import { newId } from "../../core/index.ts";
import type { Database, Store } from "../../store/index.ts";
import {
  claimRun,
  forgetRequestKey,
  insertRun,
  interruptStaleRun,
  lostRuns,
  oldestQueued,
  RunRecords,
  renewRunLease,
  runsInFlight,
  setRunDiagnosis,
  setRunResult,
  setRunStatus,
  takeEventSeq,
  takeLostRun,
} from "../runs/index.ts";
import { isServerOwner } from "./server-owner.ts";

/** Every status a run can have: the API's enum, the list filters and the export's check derive from it. */
export const RUN_STATUSES = [
  "queued",
  "refused",
  "running",
  "paused",
  "succeeded",
  "failed",
  "rolling_back",
  "rolled_back",
  "rollback_incomplete",
  "interrupted",
  "committed",
] as const;

export type RunStatus = (typeof RUN_STATUSES)[number];

/** `kept`: undo found the step's resources changed by someone else and left them so (policy keep). */
export type StepState = "intent" | "done" | "failed" | "undoing" | "undone" | "undo_failed" | "kept";

export interface StepKey {
  readonly runId: string;
  readonly target: string;
  readonly stepIndex: number;
}

export interface JournalEvent {
  readonly seq: number;
  readonly type: string;
  readonly at: string;
  readonly data: Record<string, unknown>;
}

export interface StepRecord extends StepKey {
  readonly stepName: string;
  readonly action: string;
  readonly state: StepState;
  readonly input: unknown;
  readonly preState: unknown;
  readonly output: unknown;
  readonly error: string | null;
}

/**
 * What the journal does to everything it writes and reads back (the secrets unit's Redactor):
 * secrets and the environment never reach the store, and come back only to the run that has them.
 */
export interface Redaction {
  /** A value about to be stored (reasons, by field name, are also shortened). */
  value<T>(value: T): T;
  /** A failure reason about to be stored. */
  reason(text: string): string;
  /** A stored value read again by the run that knows the secrets. */
  restore<T>(value: T): T;
}

const NO_REDACTION: Redaction = { value: (v) => v, reason: (t) => t, restore: (v) => v };

/** A run `interruptLost` found: whose it was (`null`: no owner recorded) and what it was doing. */
export interface LostRun {
  readonly id: string;
  readonly owner: string | null;
  readonly was: RunStatus;
}

/** Told of every journal event once it is committed (progress views, SSE). */
export type JournalListener = (runId: string, event: JournalEvent) => void;

type Pending = [string, JournalEvent][];

interface ClaimInput {
  readonly owner: string;
  readonly leaseMs: number;
  readonly from: readonly RunStatus[];
  readonly to: RunStatus;
}

/** Statuses a run never leaves by itself: it is over (until undo, resume or commit). */
export const FINAL_STATUSES: readonly RunStatus[] = [
  "refused",
  "succeeded",
  "failed",
  "rolled_back",
  "rollback_incomplete",
  "committed",
];

function parse(text: string | null): unknown {
  return text === null ? null : JSON.parse(text);
}

/**
 * The crash-safe journal of runs. Every call is one committed transaction, and every transition
 * is also an event with the run's next sequence number — so at any instant the store says what
 * each step was about to do, with the state it captured before, and what came of it.
 *
 * "Journal first": `intend` (with the captured pre-state) commits *before* the action runs,
 * `finish`/`fail` after it; an `intent` left behind by a dead process is exactly the step that
 * was in flight, and its pre-state is what undo restores.
 */
export class Journal {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #listener: JournalListener | undefined;
  readonly #redact: Redaction;
  readonly #runs: RunRecords;

  constructor(store: Store, clock: Clock, listener?: JournalListener, redaction: Redaction = NO_REDACTION) {
    this.#store = store;
    this.#runs = new RunRecords(store);
    this.#clock = clock;
    this.#listener = listener;
    this.#redact = redaction;
  }

  /** One committed transaction; its events reach the listener only after the commit. */
  async #write<T>(fn: (tx: Transaction<Database>, pending: Pending) => Promise<T>): Promise<T> {
    const pending: Pending = [];
    const result = await this.#store.db.transaction().execute((tx) => fn(tx, pending));
    if (this.#listener) for (const [runId, event] of pending) this.#listener(runId, event);
    return result;
  }

  async startRun(input: {
    operationId: string;
    operationName: string;
    params: Record<string, unknown>;
    /** Chosen by the caller when it must know the id before the run is visible (queued runs). */
    id?: string;
    /** The process that runs it now; without one the run is `queued` for a server to claim. */
    owner?: string;
    leaseMs: number;
    /** The digest of the Idempotency-Key it was queued under (the API); taken from any older run. */
    requestKey?: string;
    /** The person who started it (migration 012); undefined: not recorded. */
    startedBy?: string | undefined;
  }): Promise<string> {
    const now = this.#clock.now();
    const id = input.id ?? newId("run", now);
    const owner = input.owner;
    const params = this.#redact.value(input.params);
    await this.#write(async (tx, pending) => {
      if (input.requestKey !== undefined) await forgetRequestKey(tx, input.requestKey);
      await insertRun(tx, {
        id,
        operation_id: input.operationId,
        operation_name: input.operationName,
        status: owner === undefined ? "queued" : "running",
        params: JSON.stringify(params),
        lease_owner: owner ?? null,
        lease_expires_at: owner === undefined ? null : new Date(now.getTime() + input.leaseMs).toISOString(),
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
        ...(input.requestKey === undefined ? {} : { request_key: input.requestKey }),
        ...(input.startedBy === undefined ? {} : { started_by: input.startedBy }),
      });
      const type = owner === undefined ? "run.queued" : "run.started";
      await this.#event(tx, pending, id, type, { operation: input.operationName, params });
    });
    return id;
  }

  /** Commit what a step is about to do and the state it captured, before it does anything. */
  async intend(
    key: StepKey,
    step: { name: string; action: string; input: unknown; preState: unknown },
  ): Promise<void> {
    const now = this.#clock.now().toISOString();
    await this.#write(async (tx, pending) => {
      await tx
        .insertInto("run_steps")
        .values({
          run_id: key.runId,
          target: key.target,
          step_index: key.stepIndex,
          step_name: step.name,
          action: step.action,
          state: "intent",
          input: JSON.stringify(this.#redact.value(step.input)),
          pre_state: JSON.stringify(this.#redact.value(step.preState ?? null)),
          output: null,
          error: null,
          started_at: now,
          finished_at: null,
        })
        .onConflict((oc) =>
          // A resumed step: the same step intended again keeps its first captured state.
          oc
            .columns(["run_id", "target", "step_index"])
            .doUpdateSet({ state: "intent", error: null, finished_at: null }),
        )
        .execute();
      await this.#event(tx, pending, key.runId, "step.started", {
        target: key.target,
        step: step.name,
        action: step.action,
      });
    });
    // The action may change the world the moment this returns: its intent must outlive a power
    // loss. (Outcomes need not: a step whose outcome is lost is undone as one in flight.)
    await this.#store.durable();
  }

  async finish(key: StepKey, output: unknown): Promise<void> {
    await this.#transition(
      key,
      "done",
      { output: JSON.stringify(this.#redact.value(output ?? null)) },
      "step.succeeded",
      {},
    );
  }

  /**
   * The action failed. `unknown`: it was stopped part way (timeout, Ctrl-C), so what it changed
   * is not known — an explicit undo owes it the compensation, as it does a step in flight.
   */
  async fail(key: StepKey, error: string, outcome?: "unknown"): Promise<void> {
    error = this.#redact.reason(error);
    await this.#transition(key, "failed", { error }, "step.failed", {
      error,
      ...(outcome ? { outcome } : {}),
    });
  }

  async undoing(key: StepKey): Promise<void> {
    await this.#transition(key, "undoing", {}, "step.undo_started", {});
    // A compensation is about to run: that it started must outlive a power loss too.
    await this.#store.durable();
  }

  /** `reason`: why nothing had to be done (`already_restored`: the world was already as before). */
  async undone(key: StepKey, detail?: string, reason?: "already_restored"): Promise<void> {
    await this.#transition(key, "undone", {}, "step.undone", {
      ...(detail ? { detail } : {}),
      ...(reason ? { reason } : {}),
    });
  }

  /** Undo left the version someone else wrote in place (conflict policy `keep`). */
  async kept(key: StepKey, detail: string): Promise<void> {
    await this.#transition(key, "kept", {}, "step.kept", { detail });
  }

  async undoFailed(key: StepKey, reason: string): Promise<void> {
    reason = this.#redact.reason(reason);
    await this.#transition(key, "undo_failed", { error: reason }, "step.undo_failed", { reason });
  }

  /**
   * A value as the journal would store it (secrets replaced by their markers): what reconcile
   * compares a state observed now with, as the recorded states were stored so.
   */
  redacted<T>(value: T): T {
    return this.#redact.value(value);
  }

  /** Record any other transition (checks, batches, run status) as an event. */
  async note(runId: string, type: string, data: Record<string, unknown> = {}): Promise<number> {
    return this.#write((tx, pending) => this.#event(tx, pending, runId, type, data));
  }

  /** A new status, as an event; `result` (the run's outcome as the engine reports it) is kept with it. */
  async setStatus(
    runId: string,
    status: RunStatus,
    data: Record<string, unknown> = {},
    result?: unknown,
  ): Promise<void> {
    const now = this.#clock.now().toISOString();
    const final = !["running", "paused", "rolling_back", "queued"].includes(status);
    await this.#write(async (tx, pending) => {
      await setRunStatus(tx, runId, {
        status,
        at: now,
        result: result === undefined ? undefined : JSON.stringify(this.#redact.value(result)),
        final,
      });
      await this.#event(tx, pending, runId, `run.${status}`, data);
    });
  }

  /**
   * Keep a run's diagnosis (JSON in runs.diagnosis; null drops it). Not an event: it explains
   * the run's last status rather than changing it.
   */
  async setDiagnosis(runId: string, diagnosis: unknown): Promise<void> {
    const text = diagnosis === null ? null : JSON.stringify(this.#redact.value(diagnosis));
    await setRunDiagnosis(this.#store.db, runId, text);
  }

  /** The diagnosis kept with a run, if it has one. */
  async diagnosis(runId: string): Promise<unknown> {
    const text = await this.#runs.column(runId, "diagnosis");
    return text ? JSON.parse(text) : undefined;
  }

  /**
   * Runs whose process stopped renewing its lease (killed, power lost) — or whose owner is known
   * dead without waiting for the lease (`ownerIsDead`, e.g. a process of this host that is gone):
   * marked `interrupted`.
   */
  async markInterrupted(ownerIsDead: (owner: string) => boolean = () => false): Promise<string[]> {
    return (await this.interruptLost(ownerIsDead, isServerOwner)).map((r) => r.id);
  }

  /**
   * `markInterrupted`, saying which runs this call changed, whose they were and what they were
   * doing. Each is one conditional update on the lease as it was read, so of several nodes (or
   * commands) that find a run's lease stale exactly one interrupts it. A server node's run
   * (`keepOwner`) keeps its owner's name until a surviving node takes it over (`takeLost`).
   */
  async interruptLost(
    ownerIsDead: (owner: string) => boolean = () => false,
    keepOwner: (owner: string) => boolean = isServerOwner,
  ): Promise<LostRun[]> {
    const now = this.#clock.now().toISOString();
    const open = await runsInFlight(this.#store.db);
    const lost: LostRun[] = [];
    for (const r of open) {
      const expired = r.lease_expires_at !== null && r.lease_expires_at < now;
      const dead = r.lease_owner !== null && ownerIsDead(r.lease_owner);
      if (!expired && !dead) continue;
      const reason = dead
        ? "its process is gone"
        : `its process stopped renewing its lease (expired ${r.lease_expires_at})`;
      const changed = await this.#write(async (tx, pending) => {
        const done = await interruptStaleRun(tx, r.id, {
          owner: r.lease_owner,
          expiresAt: r.lease_expires_at,
          at: now,
          keepOwner: r.lease_owner !== null && keepOwner(r.lease_owner),
        });
        if (done) {
          await this.#event(tx, pending, r.id, "run.interrupted", {
            reason,
            ...(r.lease_owner ? { owner: r.lease_owner } : {}),
            was: r.status,
          });
        }
        return done;
      });
      if (changed) lost.push({ id: r.id, owner: r.lease_owner, was: r.status as RunStatus });
    }
    return lost;
  }

  /** Runs lost with their node and not taken over yet (see `interruptLost`), oldest first. */
  async lostRuns(limit = 50): Promise<{ id: string; owner: string }[]> {
    return (await lostRuns(this.#store.db, limit)).map((r) => ({ id: r.id, owner: r.lease_owner }));
  }

  /** Take over a lost run (one node wins); `data` goes on its `run.taken_over` event. */
  async takeLost(runId: string, owner: string, data: Record<string, unknown>): Promise<boolean> {
    const now = this.#clock.now().toISOString();
    return this.#write(async (tx, pending) => {
      if (!(await takeLostRun(tx, runId, owner, now))) return false;
      await this.#event(tx, pending, runId, "run.taken_over", { lost_owner: owner, ...data });
      return true;
    });
  }

  /** An event with a new result for the run, its status unchanged (a run held for a person). */
  async noteResult(
    runId: string,
    type: string,
    data: Record<string, unknown>,
    result: unknown,
  ): Promise<void> {
    const now = this.#clock.now().toISOString();
    await this.#write(async (tx, pending) => {
      await setRunResult(tx, runId, JSON.stringify(this.#redact.value(result)), now);
      await this.#event(tx, pending, runId, type, data);
    });
  }

  /**
   * Runs `owner` still holds (running, rolling back) when its process stops: marked
   * `interrupted` at once, so none is left `running` until its lease runs out.
   */
  async releaseOwned(owner: string, reason: string): Promise<string[]> {
    const held = await runsInFlight(this.#store.db, owner);
    for (const { id } of held) await this.setStatus(id, "interrupted", { reason });
    return held.map((r) => r.id);
  }

  /**
   * Take over a run that is in one of `from` (a queued run, a paused or interrupted one to resume,
   * a finished one to undo): one conditional update, so of several processes or server nodes
   * exactly one gets it. False when the run is not (or no longer) in one of those statuses.
   */
  async claim(runId: string, input: ClaimInput): Promise<boolean> {
    return this.#write((tx, pending) => this.#claimIn(tx, pending, runId, input));
  }

  /**
   * The oldest queued run, claimed for `owner` — on PostgreSQL with `FOR UPDATE SKIP LOCKED`, so
   * server nodes polling together never pick the same run and never wait on each other.
   */
  async claimQueued(owner: string, leaseMs: number): Promise<string | undefined> {
    return this.#write(async (tx, pending) => {
      const id = await oldestQueued(tx, this.#store.dialect);
      if (id === undefined) return undefined;
      const input = { owner, leaseMs, from: ["queued"], to: "running" } as const;
      return (await this.#claimIn(tx, pending, id, input)) ? id : undefined;
    });
  }

  async #claimIn(
    tx: Transaction<Database>,
    pending: Pending,
    runId: string,
    input: ClaimInput,
  ): Promise<boolean> {
    const now = this.#clock.now();
    const claimed = await claimRun(tx, runId, {
      from: input.from,
      to: input.to,
      owner: input.owner,
      leaseExpiresAt: new Date(now.getTime() + input.leaseMs).toISOString(),
      at: now.toISOString(),
    });
    if (!claimed) return false;
    await this.#event(tx, pending, runId, "run.claimed", { owner: input.owner, status: input.to });
    return true;
  }

  async renewLease(runId: string, owner: string, leaseMs: number): Promise<boolean> {
    const until = new Date(this.#clock.now().getTime() + leaseMs).toISOString();
    return renewRunLease(this.#store.db, runId, owner, until);
  }

  /**
   * Whether `owner` lost the run to another process: it was found interrupted (its lease ran
   * out) or is running under someone else. A run that merely came to rest is not lost.
   */
  async lostBy(runId: string, owner: string): Promise<boolean> {
    const status = await this.status(runId);
    if (status === "interrupted") return true;
    if (status !== "running" && status !== "rolling_back") return false;
    return (await this.#runs.column(runId, "lease_owner")) !== owner;
  }

  /** Every step record of a run, in the order they were started. */
  async steps(runId: string): Promise<StepRecord[]> {
    const rows = await this.#store.db
      .selectFrom("run_steps")
      .selectAll()
      .where("run_id", "=", runId)
      .orderBy("started_at")
      .orderBy("target")
      .orderBy("step_index")
      .execute();
    return rows.map((r) => ({
      runId: r.run_id,
      target: r.target,
      stepIndex: r.step_index,
      stepName: r.step_name,
      action: r.action,
      state: r.state as StepState,
      input: this.#redact.restore(parse(r.input)),
      preState: this.#redact.restore(parse(r.pre_state)),
      output: this.#redact.restore(parse(r.output)),
      error: r.error,
    }));
  }

  /** Events after `afterSeq`, in order (for `runs events --follow` and SSE `Last-Event-ID`). */
  async events(runId: string, afterSeq = 0, limit = 500): Promise<JournalEvent[]> {
    const rows = await this.#store.db
      .selectFrom("run_events")
      .selectAll()
      .where("run_id", "=", runId)
      .where("seq", ">", afterSeq)
      .orderBy("seq")
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      seq: Number(r.seq),
      type: r.type,
      at: r.at,
      data: JSON.parse(r.data) as Record<string, unknown>,
    }));
  }

  /** The result the engine last kept with the run's status (undefined while it has none). */
  async result(runId: string): Promise<unknown> {
    const text = await this.#runs.column(runId, "result");
    return text ? JSON.parse(text) : undefined;
  }

  async status(runId: string): Promise<RunStatus | undefined> {
    return (await this.#runs.column(runId, "status")) as RunStatus | undefined;
  }

  async #transition(
    key: StepKey,
    state: StepState,
    set: { output?: string; error?: string },
    type: string,
    data: Record<string, unknown>,
  ): Promise<void> {
    const now = this.#clock.now().toISOString();
    await this.#write(async (tx, pending) => {
      await tx
        .updateTable("run_steps")
        .set({ state, ...set, finished_at: state === "undoing" ? null : now })
        .where("run_id", "=", key.runId)
        .where("target", "=", key.target)
        .where("step_index", "=", key.stepIndex)
        .execute();
      await this.#event(tx, pending, key.runId, type, {
        target: key.target,
        step_index: key.stepIndex,
        ...data,
      });
    });
  }

  async #event(
    tx: Transaction<Database>,
    pending: Pending,
    runId: string,
    type: string,
    raw: Record<string, unknown>,
  ): Promise<number> {
    // Every event passes here: what a listener (SSE, a progress view) sees is what is stored.
    const data = this.#redact.value(raw);
    const seq = await takeEventSeq(tx, runId, this.#clock.now().toISOString());
    const at = this.#clock.now().toISOString();
    await tx
      .insertInto("run_events")
      .values({ run_id: runId, seq, type, at, data: JSON.stringify(data) })
      .execute();
    pending.push([runId, { seq, type, at, data }]);
    return seq;
  }
}
