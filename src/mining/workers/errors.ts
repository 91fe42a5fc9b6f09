import { OpsdojoError, plural } from "../../core/index.ts";
import { LIMIT_SETTINGS, type LimitName } from "./limits.ts";

const WHAT: Record<LimitName, string> = {
  maxActivities: "activities in an event log",
  maxEvents: "events in an event log",
  maxTemplates: "templates in a mining job",
  maxUploadBytes: "bytes in one streamed upload",
  maxLogBytes: "bytes in an event log sent as JSON",
  jobDeadlineMs: "milliseconds of worker time for one mining job (or one batch of an upload)",
};

/**
 * A mining request went past one of the node's limits. The message and details name the limit,
 * its configured value and how to raise it, so the problem can tell the client all of that.
 */
export class MiningLimitError extends OpsdojoError {
  readonly limit: LimitName;
  readonly status: 413 | 422;

  constructor(limit: LimitName, configured: number, found?: string) {
    const { env, status } = LIMIT_SETTINGS[limit];
    super(
      "mining_limit_exceeded",
      `${found ? `${found}: ` : ""}this server allows at most ${configured} ${WHAT[limit]} (limit ${limit}); split the input, or raise the limit with ${env} or serve's mining.${limit} option`,
      {
        kind: "invalid",
        details: { limit, configured, env, option: `mining.${limit}`, ...(found ? { found } : {}) },
      },
    );
    this.limit = limit;
    this.status = status;
  }
}

/** Every worker is busy and the queue is full: retrying later helps. */
export class MiningWorkersBusyError extends OpsdojoError {
  readonly retryAfterSeconds: number;

  constructor(workers: number, queue: number, retryAfterSeconds: number) {
    super(
      "mining_workers_busy",
      `${workers === 1 ? "the mining worker is" : `all ${workers} mining workers are`} busy and ${plural(queue, "job")} ${queue === 1 ? "waits" : "wait"} already (limits workers and queue: OPSDOJO_MINING_WORKERS, OPSDOJO_MINING_QUEUE); retry after ${retryAfterSeconds} s`,
      { kind: "unavailable", retryable: true, details: { workers, queue } },
    );
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The pool was closed (the server is stopping) while a job waited or ran. */
export class MiningWorkersClosedError extends OpsdojoError {
  constructor() {
    super("mining_workers_closed", "the server is stopping; the mining job was ended — send it again", {
      kind: "unavailable",
      retryable: true,
    });
  }
}

/** A worker died without answering (out of memory, a bug): its job is lost, the pool goes on. */
export class MiningWorkerCrashedError extends OpsdojoError {
  constructor(reason: string) {
    super("mining_worker_crashed", `the mining worker stopped unexpectedly (${reason})`, {
      kind: "internal",
    });
  }
}

/** An error thrown inside a worker, rebuilt on this side with its code, kind and details. */
export class MiningTaskError extends OpsdojoError {}
