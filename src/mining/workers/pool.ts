import { Worker } from "node:worker_threads";
import type { OpsdojoError } from "../../core/index.ts";
import {
  MiningLimitError,
  MiningTaskError,
  MiningWorkerCrashedError,
  MiningWorkersBusyError,
  MiningWorkersClosedError,
} from "./errors.ts";
import type { LimitName, MiningLimits } from "./limits.ts";
import type { OperationName, Operations, WorkerFailure, WorkerRequest, WorkerResponse } from "./protocol.ts";

/** How long a client is told to wait when every worker is busy and the queue is full. */
const RETRY_AFTER_SECONDS = 5;

export type PoolLimits = Pick<MiningLimits, "workers" | "queue" | "jobDeadlineMs">;

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** One worker thread; started on first use, kept for the next job, replaced when it dies. */
class Slot {
  worker: Worker | undefined;
  /** Settles once the worker has loaded its code (which is no part of any job's time). */
  ready: Promise<void> = Promise.resolve();
  busy = false;
  /** Why each ended worker ended, for a call that was waiting for it to load. */
  readonly ended = new WeakMap<Worker, Error>();
  readonly pending = new Map<number, Pending>();
  #exited: Promise<void> = Promise.resolve();

  ensure(): Worker {
    if (this.worker) return this.worker;
    const { file, entry } = workerScript();
    const worker = new Worker(file, entry === undefined ? {} : { workerData: { entry } });
    let loaded: () => void = () => {};
    this.ready = new Promise((resolve) => {
      loaded = resolve;
    });
    worker.on("message", (response: WorkerResponse | "ready") => {
      if (response === "ready") return loaded();
      const waiting = this.pending.get(response.id);
      if (!waiting) return;
      this.pending.delete(response.id);
      if (response.ok) waiting.resolve(response.value);
      else waiting.reject(rebuild(response.error));
    });
    worker.on("error", (error) => this.#fail(worker, new MiningWorkerCrashedError(error.message)));
    this.#exited = new Promise((resolve) =>
      worker.once("exit", (code) => {
        this.#fail(worker, new MiningWorkerCrashedError(`exit code ${code}`));
        loaded();
        resolve();
      }),
    );
    this.worker = worker;
    return worker;
  }

  /** Stop the thread now, whatever it is doing; its pending calls fail with `reason`. */
  async terminate(reason: Error): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.#fail(worker, reason);
    await worker.terminate();
    await this.#exited;
  }

  #fail(worker: Worker, reason: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.ended.set(worker, reason);
    for (const p of this.pending.values()) p.reject(reason);
    this.pending.clear();
  }
}

/**
 * The mining worker pool: discovery, template mining and deviation checks run on worker threads,
 * so the event loop that answers every other request is never the one mining. At most `workers`
 * jobs run at once and `queue` wait; one more is refused (503, Retry-After) rather than queued
 * without bound. Each call may keep its worker busy for at most `jobDeadlineMs` — a discovery or a
 * replay is one call, an upload one call per batch of lines (its whole length is bounded by its
 * bytes instead); past that the worker is terminated. `close()` terminates every worker, so stopping the server never waits
 * for a mining job.
 *
 * @example
 * const workers = new MiningWorkers({ workers: 1, queue: 4, jobDeadlineMs: 60_000 });
 * const result = await workers.run("discover", task);
 * await workers.close();
 */
export class MiningWorkers {
  readonly limits: PoolLimits;
  readonly #slots: Slot[] = [];
  readonly #waiting: { grant(slot: Slot): void; refuse(error: Error): void }[] = [];
  #closed = false;

  constructor(limits: PoolLimits) {
    this.limits = limits;
  }

  /** Jobs holding a worker, of those the ones a loaded worker is computing, and jobs waiting. */
  get load(): { running: number; computing: number; waiting: number } {
    return {
      running: this.#slots.filter((s) => s.busy).length,
      computing: this.#slots.filter((s) => s.pending.size > 0).length,
      waiting: this.#waiting.length,
    };
  }

  /** One call on a worker of its own, within the deadline. */
  async run<K extends OperationName>(op: K, input: Operations[K]["input"]): Promise<Operations[K]["output"]> {
    const lease = await this.lease();
    try {
      return await lease.call(op, input);
    } finally {
      lease.release();
    }
  }

  /** A worker for a job of several calls (an upload); the deadline holds for each call. */
  async lease(): Promise<WorkerLease> {
    if (this.#closed) throw new MiningWorkersClosedError();
    const idle = this.#slots.find((s) => !s.busy);
    if (idle) return this.#grant(idle);
    if (this.#slots.length < this.limits.workers) {
      const slot = new Slot();
      this.#slots.push(slot);
      return this.#grant(slot);
    }
    if (this.#waiting.length >= this.limits.queue)
      throw new MiningWorkersBusyError(this.limits.workers, this.limits.queue, RETRY_AFTER_SECONDS);
    return new Promise((resolve, reject) => {
      this.#waiting.push({ grant: (slot) => resolve(this.#grant(slot)), refuse: reject });
    });
  }

  /** Terminate every worker (running jobs fail as closed) and refuse what waits. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const w of this.#waiting.splice(0)) w.refuse(new MiningWorkersClosedError());
    await Promise.all(this.#slots.map((s) => s.terminate(new MiningWorkersClosedError())));
  }

  #grant(slot: Slot): WorkerLease {
    slot.busy = true;
    slot.ensure().ref();
    return new WorkerLease(slot, this.limits.jobDeadlineMs, () => this.#release(slot));
  }

  #release(slot: Slot): void {
    const next = this.#waiting.shift();
    if (next && !this.#closed) {
      next.grant(slot);
      return;
    }
    slot.busy = false;
    // An idle worker must not keep a process alive that has nothing else to do.
    slot.worker?.unref();
  }
}

/** A worker held by one job; calls go one after another; `release()` once, when the job is over. */
export class WorkerLease {
  readonly #slot: Slot;
  readonly #deadlineMs: number;
  readonly #release: () => void;
  #nextId = 1;
  #released = false;
  #expired: MiningLimitError | undefined;

  constructor(slot: Slot, deadlineMs: number, release: () => void) {
    this.#slot = slot;
    this.#deadlineMs = deadlineMs;
    this.#release = release;
  }

  async call<K extends OperationName>(
    op: K,
    input: Operations[K]["input"],
  ): Promise<Operations[K]["output"]> {
    if (this.#released) throw new Error("a released worker lease was used");
    if (this.#expired) throw this.#expired;
    const worker = this.#slot.ensure();
    await this.#slot.ready;
    const ended = this.#slot.ended.get(worker);
    if (ended) throw ended;
    const id = this.#nextId++;
    let timer: NodeJS.Timeout | undefined;
    try {
      return (await new Promise((resolve, reject) => {
        this.#slot.pending.set(id, { resolve, reject });
        timer = setTimeout(() => {
          // Past its deadline a job is ended the only way a busy thread can be: terminated.
          this.#expired = new MiningLimitError(
            "jobDeadlineMs",
            this.#deadlineMs,
            "the mining job ran out of time",
          );
          void this.#slot.terminate(this.#expired);
        }, this.#deadlineMs);
        worker.postMessage({ id, op, input } satisfies WorkerRequest);
      })) as Operations[K]["output"];
    } finally {
      clearTimeout(timer);
    }
  }

  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.#release();
  }
}

function rebuild(failure: WorkerFailure): OpsdojoError {
  if (failure.code === "mining_limit_exceeded" && failure.limit !== undefined) {
    const found = failure.details.found;
    return new MiningLimitError(
      failure.limit as LimitName,
      Number(failure.details.configured),
      typeof found === "string" ? found : undefined,
    );
  }
  if (failure.kind === "internal")
    // The inside stays in the server's log (as the cause), never in an answer to a client.
    return new MiningTaskError("mining_worker_failed", "the mining job failed", {
      cause: new Error(failure.message),
    });
  return new MiningTaskError(failure.code, failure.message, {
    kind: failure.kind as OpsdojoError["kind"],
    details: failure.details,
  });
}

/**
 * The worker's entry: beside the bundle (dist/mining-worker.mjs) when this code runs from
 * dist/cli.mjs, else worker.ts through tsx's loader (bootstrap.mjs).
 */
function workerScript(): { file: URL; entry?: string } {
  const here = import.meta.url;
  if (/\.[cm]?ts$/.test(new URL(here).pathname))
    return { file: new URL("./bootstrap.mjs", here), entry: new URL("./worker.ts", here).href };
  // Bundled with code splitting (scripts/build.mjs), this code may sit in dist/chunks/.
  const dist = new URL(/\/chunks\/[^/]*$/.test(new URL(here).pathname) ? "../" : "./", here);
  return { file: new URL("mining-worker.mjs", dist) };
}
