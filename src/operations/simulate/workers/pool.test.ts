import { afterEach, describe, expect, it } from "vitest";
import type { Operation } from "../../model/index.ts";
import { SimulationFailedError, SimulationsBusyError, SimulationTimeoutError } from "./errors.ts";
import type { SimulationJob } from "./job.ts";
import { SimulationWorkers } from "./pool.ts";

const operation: Operation = {
  opsdojo: "operation/v1",
  name: "big",
  targets: [{ name: "a" }],
  steps: Array.from({ length: 10 }, (_, i) => ({ name: `s${i}`, uses: "noop" })),
};

/** Billions of simulated steps: minutes of work on any machine, so it is always still running. */
const endless: SimulationJob = { operation, targets: 100_000, runs: 1_000_000, seed: "x" };
const small: SimulationJob = { operation, targets: 10, runs: 200, seed: "x" };

const pools: SimulationWorkers[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

describe("SimulationWorkers", () => {
  it("computes a job on a worker thread", async () => {
    const pool = new SimulationWorkers();
    pools.push(pool);
    const report = await pool.run(small);
    expect(report.runs).toBe(200);
    expect(report.model.targets).toBe(10);
  });

  it("refuses a job when every thread is busy and the queue is full, and close() ends what runs", async () => {
    const pool = new SimulationWorkers({ workers: 1, queue: 0, deadlineMs: 600_000 });
    pools.push(pool);
    const running = pool.run(endless);
    expect(pool.full).toBe(true);
    await expect(pool.run(small)).rejects.toBeInstanceOf(SimulationsBusyError);
    await pool.close();
    await expect(running).rejects.toBeInstanceOf(SimulationFailedError);
  });

  it("terminates a job past its deadline", async () => {
    const pool = new SimulationWorkers({ workers: 1, queue: 1, deadlineMs: 200 });
    pools.push(pool);
    await expect(pool.run(endless)).rejects.toBeInstanceOf(SimulationTimeoutError);
    // The thread is gone and the pool takes the next job.
    expect(pool.full).toBe(false);
  });
});
