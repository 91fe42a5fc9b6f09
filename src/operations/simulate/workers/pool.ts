import { Worker } from "node:worker_threads";
import type { SimulationReport } from "../report.ts";
import { SimulationFailedError, SimulationsBusyError, SimulationTimeoutError } from "./errors.ts";
import type { SimulationJob } from "./job.ts";

export interface SimulationLimits {
  /** Simulations computing at once, each on a thread of its own. */
  readonly workers: number;
  /** Simulations waiting for a thread; one more is refused (503). */
  readonly queue: number;
  /** Past this a simulation's thread is terminated. */
  readonly deadlineMs: number;
}

export const DEFAULT_SIMULATION_LIMITS: SimulationLimits = { workers: 1, queue: 8, deadlineMs: 120_000 };

/**
 * Simulations off the event loop: each job runs on a new worker thread, which is ended when the
 * job is (a simulation holds no state worth keeping warm, and a fresh thread cannot leak one job's
 * memory into the next). At most `workers` at once, `queue` waiting, `deadlineMs` each.
 *
 * @example
 * const pool = new SimulationWorkers();
 * const report = await pool.run(job);
 * await pool.close();
 */
export class SimulationWorkers {
  readonly limits: SimulationLimits;
  readonly #running = new Set<Worker>();
  readonly #waiting: (() => void)[] = [];
  #closed = false;

  constructor(limits: Partial<SimulationLimits> = {}) {
    this.limits = { ...DEFAULT_SIMULATION_LIMITS, ...limits };
  }

  /** Whether a job given now would be refused: every thread busy and the queue full. */
  get full(): boolean {
    return this.#running.size >= this.limits.workers && this.#waiting.length >= this.limits.queue;
  }

  async run(job: SimulationJob): Promise<SimulationReport> {
    if (this.#closed) throw new SimulationFailedError("the server is stopping");
    if (this.#running.size >= this.limits.workers) {
      if (this.#waiting.length >= this.limits.queue) throw new SimulationsBusyError(this.limits.queue);
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
      if (this.#closed) throw new SimulationFailedError("the server is stopping");
    }
    const { file, entry } = workerScript();
    const worker = new Worker(file, entry === undefined ? {} : { workerData: { entry } });
    this.#running.add(worker);
    try {
      return await new Promise<SimulationReport>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new SimulationTimeoutError(this.limits.deadlineMs));
          void worker.terminate();
        }, this.limits.deadlineMs);
        worker.on("message", (message: "ready" | WorkerAnswer) => {
          if (message === "ready") {
            worker.postMessage(job);
            return;
          }
          clearTimeout(timer);
          if (message.ok) resolve(message.report);
          else reject(new SimulationFailedError(message.error.message, message.error));
        });
        worker.on("error", (error) => {
          clearTimeout(timer);
          reject(new SimulationFailedError(`the simulation's thread failed: ${error.message}`));
        });
        worker.on("exit", (code) => {
          clearTimeout(timer);
          reject(new SimulationFailedError(`the simulation's thread ended (exit code ${code})`));
        });
      });
    } finally {
      this.#running.delete(worker);
      await worker.terminate();
      this.#waiting.shift()?.();
    }
  }

  /** Terminate every running simulation and refuse what waits. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const wake of this.#waiting.splice(0)) wake();
    await Promise.all([...this.#running].map((w) => w.terminate()));
  }
}

type WorkerAnswer =
  | { readonly ok: true; readonly report: SimulationReport }
  | { readonly ok: false; readonly error: { code: string; message: string; kind: string } };

/** Beside the bundle (dist/simulate-worker.mjs), else worker.ts through tsx's loader. */
function workerScript(): { file: URL; entry?: string } {
  const here = import.meta.url;
  if (/\.[cm]?ts$/.test(new URL(here).pathname))
    return { file: new URL("./bootstrap.mjs", here), entry: new URL("./worker.ts", here).href };
  const dist = new URL(/\/chunks\/[^/]*$/.test(new URL(here).pathname) ? "../" : "./", here);
  return { file: new URL("simulate-worker.mjs", dist) };
}
