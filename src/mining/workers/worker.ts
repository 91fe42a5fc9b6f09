/**
 * The entry of a mining worker thread: it answers one request at a time from the pool (see
 * protocol.ts). Bundled as dist/mining-worker.mjs; run from the sources through bootstrap.mjs.
 */
import { parentPort } from "node:worker_threads";
import { messageOf, OpsdojoError } from "../../core/index.ts";
import { MiningLimitError } from "./errors.ts";
import type { OperationName, Operations, WorkerFailure, WorkerRequest, WorkerResponse } from "./protocol.ts";
import { runDiscover } from "./tasks/discover.ts";
import { LineMiner } from "./tasks/line-miner.ts";
import { runReplay } from "./tasks/replay.ts";

let miner: LineMiner | undefined;

const handlers: {
  [K in OperationName]: (input: Operations[K]["input"]) => Promise<Operations[K]["output"]>;
} = {
  discover: (input) => runDiscover(input),
  replay: async (input) => runReplay(input),
  "mine.start": async (input) => {
    miner = new LineMiner(input);
    return null;
  },
  "mine.add": async ({ lines }) => {
    const m = started();
    m.add(lines);
    return { pending: m.pending };
  },
  "mine.take": async ({ final }) => started().take(final),
};

function started(): LineMiner {
  if (miner === undefined) throw new Error("mine.start was not sent before lines");
  return miner;
}

function failure(error: unknown): WorkerFailure {
  if (error instanceof OpsdojoError) {
    return {
      code: error.code,
      message: error.message,
      kind: error.kind,
      details: { ...error.details },
      ...(error instanceof MiningLimitError ? { limit: error.limit } : {}),
    };
  }
  // Not ours: a bug. Its message stays in the server's log, not in an answer to a client.
  return {
    code: "mining_worker_failed",
    message: messageOf(error),
    kind: "internal",
    details: {},
  };
}

const port = parentPort;
if (port === null) throw new Error("worker.ts is a worker thread's entry; the pool starts it");
port.on("message", async (request: WorkerRequest) => {
  let response: WorkerResponse;
  try {
    const handle = handlers[request.op] as (input: unknown) => Promise<unknown>;
    response = { id: request.id, ok: true, value: await handle(request.input) };
  } catch (error) {
    if (request.op.startsWith("mine.")) miner = undefined;
    response = { id: request.id, ok: false, error: failure(error) };
  }
  port.postMessage(response);
});
port.postMessage("ready");
