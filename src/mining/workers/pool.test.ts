import { afterEach, describe, expect, it } from "vitest";
import { heavyCsvLog } from "../../../test/support/heavy-logs.ts";
import {
  type DiscoverTask,
  MiningLimitError,
  MiningWorkers,
  MiningWorkersBusyError,
  MiningWorkersClosedError,
} from "./index.ts";

const SMALL =
  "case,activity,timestamp\nc1,a,2026-01-01T00:00:00Z\nc1,b,2026-01-01T00:00:01Z\nc2,a,2026-01-01T00:00:02Z\nc2,c,2026-01-01T00:00:03Z\n";
// About 25 s of the inductive miner on a quiet machine: far longer than any test waits for it.
const HEAVY = heavyCsvLog({ activities: 400, cases: 2000, length: 8 });

const task = (text: string, more: Partial<DiscoverTask> = {}): DiscoverTask => ({
  log: { source: "upload", format: "csv", text },
  algorithm: "inductive",
  maxActivities: 1000,
  maxEvents: 1_000_000,
  validateOnly: false,
  ...more,
});

const pools: MiningWorkers[] = [];
function pool(limits: Partial<MiningWorkers["limits"]> = {}): MiningWorkers {
  const p = new MiningWorkers({ workers: 1, queue: 4, jobDeadlineMs: 600_000, ...limits });
  pools.push(p);
  return p;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

/** Wait (bounded, polling) until a condition holds; never for time itself. */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 6000 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(condition()).toBe(true);
}

describe("mining workers", () => {
  it("discovers a model on a worker thread, and validate_only reads the log without discovering", async () => {
    const workers = pool();
    const result = await workers.run("discover", task(SMALL));
    expect(result).toMatchObject({ cases: 2, events: 4, activities: 3 });
    expect(result.model?.format).toBe("opsdojo-process-model/v1");
    expect(result.model?.log).toEqual({ cases: 2, events: 4, activities: 3 });
    const checked = await workers.run("discover", task(SMALL, { validateOnly: true }));
    expect(checked).toEqual({ cases: 2, events: 4, activities: 3, activityNames: ["a", "b", "c"] });
  });

  it("refuses a log over the activity or event limit, naming the limit, its value and how to raise it", async () => {
    const workers = pool();
    const activities = await workers.run("discover", task(SMALL, { maxActivities: 2 })).catch((e) => e);
    expect(activities).toBeInstanceOf(MiningLimitError);
    expect(activities.limit).toBe("maxActivities");
    expect(activities.status).toBe(422);
    expect(activities.details).toMatchObject({
      limit: "maxActivities",
      configured: 2,
      env: "OPSDOJO_MINING_MAX_ACTIVITIES",
    });
    expect(activities.message).toMatch(/has 3 activities.*at most 2 .*OPSDOJO_MINING_MAX_ACTIVITIES/);
    // Refused even when only validating: the check is the validation.
    const events = await workers
      .run("discover", task(SMALL, { maxEvents: 3, validateOnly: true }))
      .catch((e) => e);
    expect(events).toBeInstanceOf(MiningLimitError);
    expect(events.limit).toBe("maxEvents");
  });

  it("brings a bad log back as an input error with its place in the request", async () => {
    const workers = pool();
    const error = await workers.run("discover", task("just one column\nx\n")).catch((e) => e);
    expect(error.kind).toBe("invalid");
    expect(error.details.pointer).toBe("/event_log/text");
    expect(error.message).toMatch(/^event_log/);
  });

  it("terminates a job past its deadline, and the next job gets a fresh worker", async () => {
    const workers = pool({ jobDeadlineMs: 300 });
    const error = await workers.run("discover", task(HEAVY)).catch((e) => e);
    expect(error).toBeInstanceOf(MiningLimitError);
    expect(error.limit).toBe("jobDeadlineMs");
    expect(error.message).toMatch(/at most 300 milliseconds .*OPSDOJO_MINING_JOB_DEADLINE_MS/);
    const after = await workers.run("discover", task(SMALL, { validateOnly: true }));
    expect(after.cases).toBe(2);
  });

  it("close() ends a running job at once and refuses waiting and new ones", async () => {
    const workers = pool({ queue: 1 });
    const running = workers.run("discover", task(HEAVY)).catch((e) => e);
    const waiting = workers.run("discover", task(SMALL)).catch((e) => e);
    // The heavy job is on a loaded worker, computing: close() must end a thread that is busy.
    await until(() => workers.load.computing === 1);
    expect(workers.load).toEqual({ running: 1, computing: 1, waiting: 1 });
    await workers.close();
    // Left alone, the heavy job would have answered a model; it was ended instead.
    expect(await running).toBeInstanceOf(MiningWorkersClosedError);
    expect(await waiting).toBeInstanceOf(MiningWorkersClosedError);
    await expect(workers.run("discover", task(SMALL))).rejects.toBeInstanceOf(MiningWorkersClosedError);
  });

  it("refuses a job when every worker is busy and the queue is full, saying when to retry", async () => {
    const workers = pool({ queue: 1 });
    const running = workers.run("discover", task(HEAVY)).catch((e) => e);
    const waiting = workers.run("discover", task(SMALL)).catch((e) => e);
    await until(() => workers.load.waiting === 1);
    const refused = await workers.run("discover", task(SMALL)).catch((e) => e);
    expect(refused).toBeInstanceOf(MiningWorkersBusyError);
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.message).toMatch(/all 1 mining worker\(s\) are busy and 1 job\(s\) wait/);
    await workers.close();
    await Promise.all([running, waiting]);
  });
});
