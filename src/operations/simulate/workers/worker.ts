/**
 * The entry of a simulation worker thread: one job, its report back, then the pool ends the
 * thread. Bundled as dist/simulate-worker.mjs; run from the sources through bootstrap.mjs.
 */
import { parentPort } from "node:worker_threads";
import { OpsdojoError } from "../../../core/index.ts";
import { runSimulationJob, type SimulationJob } from "./job.ts";

const port = parentPort;
if (port === null) throw new Error("worker.ts is a worker thread's entry; the pool starts it");
port.on("message", (job: SimulationJob) => {
  try {
    port.postMessage({ ok: true, report: runSimulationJob(job) });
  } catch (error) {
    const known = error instanceof OpsdojoError;
    port.postMessage({
      ok: false,
      error: {
        code: known ? error.code : "simulation_failed",
        message: String((error as Error)?.message ?? error),
        kind: known ? error.kind : "internal",
      },
    });
  }
});
port.postMessage("ready");
