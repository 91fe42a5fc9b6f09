import { randomBytes } from "node:crypto";
import { type Clock, messageOf } from "../../core/index.ts";
import type { Store } from "../../store/index.ts";
import {
  commitRunById,
  currentOwner,
  type EngineOptions,
  RunHaltedError,
  RunRefusedError,
  resumeRunById,
  runClaimed,
  stepFailure,
  undoRunById,
} from "../engine/index.ts";
import { Journal } from "../journal/index.ts";
import { targetsOf } from "../model/index.ts";
import type { ConflictPolicy } from "../reconcile/index.ts";
import { loadRunInput, type RunInput, RunRecords } from "../runs/index.ts";
import { SecretRequiredError, SecretSourceError } from "../secrets/index.ts";
import { RunStateConflictError } from "./errors.ts";
import type { RunBus } from "./run-bus.ts";
import type { SecretHandoff } from "./secret-handoff.ts";
import { type TakenOver, takeOverLostRuns } from "./takeover.ts";

/** How long halted runs get to journal that they stopped (a process group's TERM, a last write). */
const HALT_SETTLE_MS = 1000;

export interface ExecutorOptions {
  /** Runs this node executes at once (default 4). */
  readonly concurrency?: number;
  /**
   * How often the queue is polled for runs queued on other nodes, and for runs of dead nodes to
   * take over (default 500 ms).
   */
  readonly pollMs?: number;
  /**
   * How long a run's lease lasts without renewal (default 30 s; renewed every third of it): a
   * node that dies mid-run has its runs taken over within lease + one poll.
   */
  readonly leaseMs?: number;
  /** Told of each run this node took over from a dead one (logs, tests). */
  readonly onTakeover?: (taken: TakenOver) => void;
  /** Where the runs API leaves the secrets of the runs it queues (RunsApi.handoff). */
  readonly handoff?: SecretHandoff;
}

/**
 * Executes runs in the server process. Queued runs are claimed one at a time with
 * `Journal.claimQueued` (FOR UPDATE SKIP LOCKED on PostgreSQL), so several nodes on one store
 * never run the same run twice; undo and resume claim their run the same way.
 */
export class RunExecutor {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #bus: RunBus;
  readonly #journal: Journal;
  readonly #owner = `${currentOwner()}/${randomBytes(4).toString("hex")}`;
  readonly #concurrency: number;
  readonly #pollMs: number;
  readonly #leaseMs: number;
  readonly #handoff: SecretHandoff | undefined;
  readonly #onTakeover: ((taken: TakenOver) => void) | undefined;
  readonly #inflight = new Set<Promise<unknown>>();
  readonly #stop = new AbortController();
  /** Aborted (with a RunHaltedError) once the grace period of a stop is over. */
  readonly #halt = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  #polling = false;

  constructor(store: Store, clock: Clock, bus: RunBus, options: ExecutorOptions = {}) {
    this.#store = store;
    this.#clock = clock;
    this.#bus = bus;
    this.#journal = new Journal(store, clock);
    this.#concurrency = options.concurrency ?? 4;
    this.#pollMs = options.pollMs ?? 500;
    this.#leaseMs = options.leaseMs ?? 30_000;
    this.#handoff = options.handoff;
    this.#onTakeover = options.onTakeover;
  }

  /** Who holds this node's leases. */
  get owner(): string {
    return this.#owner;
  }

  start(): void {
    this.#timer = setInterval(() => this.wake(), this.#pollMs);
    this.#timer.unref();
    this.wake();
  }

  /** Look at the queue now (a run was just queued here). */
  wake(): void {
    if (this.#polling || this.#stop.signal.aborted) return;
    this.#polling = true;
    void this.#poll()
      .catch(() => {})
      .finally(() => {
        this.#polling = false;
      });
  }

  /**
   * Stop claiming; give the runs in flight `graceMs` to finish, then halt them: their running
   * actions are cancelled (a shell.run's process group stopped) and each run is left
   * `interrupted` with its journal as a kill leaves it — `runs undo` or `resume` go on later.
   * What still holds this node's lease after that (an undo, which is never cancelled half way)
   * is marked `interrupted` too, so no run stays `running` after the server has gone.
   */
  async stop(graceMs = 5000): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#stop.abort();
    if (await this.#settledWithin(graceMs)) return;
    this.#halt.abort(new RunHaltedError());
    await this.#settledWithin(HALT_SETTLE_MS);
    await this.#journal.releaseOwned(this.#owner, "the server stopped").catch(() => {});
  }

  /** Whether every run in flight has settled within `ms`. */
  async #settledWithin(ms: number): Promise<boolean> {
    if (this.#inflight.size === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    });
    const settled = Promise.allSettled([...this.#inflight]).then(() => true as const);
    try {
      return await Promise.race([settled, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Undo a run here; resolves once this node has claimed it (the undo goes on in the background). */
  undo(runId: string, secrets?: Record<string, unknown>, onConflict?: ConflictPolicy): Promise<void> {
    return this.#claimed(runId, secrets, (input, options) =>
      undoRunById(runId, input, onConflict ? { ...options, onConflict } : options),
    );
  }

  /** Resume a paused or interrupted run here; resolves once claimed. */
  resume(runId: string, secrets?: Record<string, unknown>, onConflict?: ConflictPolicy): Promise<void> {
    return this.#claimed(runId, secrets, (input, options) =>
      resumeRunById(runId, input, onConflict ? { ...options, onConflict } : options),
    );
  }

  async commit(runId: string): Promise<void> {
    try {
      await commitRunById(runId, this.#options());
    } catch (error) {
      throw conflict(error, await this.#journal.status(runId));
    }
  }

  async #poll(): Promise<void> {
    await this.takeOver();
    while (this.#inflight.size < this.#concurrency && !this.#stop.signal.aborted) {
      const runId = await this.#journal.claimQueued(this.#owner, this.#leaseMs);
      if (!runId) return;
      const secrets = this.#handoff?.take(runId);
      this.#track(
        loadRunInput(this.#store, runId, { secrets, how: "api" })
          .catch((error: unknown) => this.#refuse(runId, error))
          .then((input) => (input ? runClaimed(runId, input, this.#options()) : undefined)),
      );
    }
  }

  /**
   * One look for dead nodes' runs (each poll does it): interrupted, then held, undone or resumed
   * here (see takeover.ts). What this node took over; an undo or resume goes on in the background.
   */
  async takeOver(): Promise<TakenOver[]> {
    const taken = await takeOverLostRuns({
      store: this.#store,
      clock: this.#clock,
      journal: this.#journal,
      owner: this.#owner,
      undo: (runId) => this.undo(runId),
      resume: (runId) => this.resume(runId),
      notify: (runId) => this.#bus.notify(runId),
    });
    for (const t of taken) this.#onTakeover?.(t);
    return taken;
  }

  /** A claimed run that cannot start (its secrets are not to be had here): refused, with why. */
  async #refuse(runId: string, error: unknown): Promise<undefined> {
    const registered = await new RunRecords(this.#store).operationOf(runId);
    const secret = error instanceof SecretRequiredError || error instanceof SecretSourceError;
    const failure = stepFailure(
      { target: "-", step: "params", kind: secret ? "secret" : "input", phase: "start" },
      `the run cannot start on this node: ${messageOf(error)}`,
      { error },
    );
    const targets = registered
      ? targetsOf(registered.operation).map((t) => ({ name: t.name, status: "not_run" as const }))
      : [];
    const result = { id: runId, status: "refused", targets, unrestored: [], failure };
    await this.#journal.setStatus(runId, "refused", { failure }, result);
    this.#bus.notify(runId);
    return undefined;
  }

  async #claimed(
    runId: string,
    secrets: Record<string, unknown> | undefined,
    work: (input: RunInput, options: EngineOptions) => Promise<unknown>,
  ): Promise<void> {
    const input = await loadRunInput(this.#store, runId, { secrets, how: "api" });
    await new Promise<void>((resolve, reject) => {
      const task = work(input, { ...this.#options(), onClaimed: resolve });
      this.#track(task);
      task.catch(async (error: unknown) => reject(conflict(error, await this.#journal.status(runId))));
    });
  }

  #track(task: Promise<unknown>): void {
    const tracked = task.catch(() => {}).finally(() => this.#inflight.delete(tracked));
    this.#inflight.add(tracked);
  }

  #options(): EngineOptions {
    return {
      store: this.#store,
      clock: this.#clock,
      owner: this.#owner,
      leaseMs: this.#leaseMs,
      onEvent: (runId) => this.#bus.notify(runId),
      signal: this.#halt.signal,
    };
  }
}

function conflict(error: unknown, status: string | undefined): unknown {
  if (error instanceof RunRefusedError) return new RunStateConflictError(error.message, status ?? "unknown");
  return error;
}
