import type { FastifyReply, FastifyRequest } from "fastify";
import type { RunBus } from "./run-bus.ts";
import type { RunsApi } from "./runs-api.ts";

/** Whether the client asked for a stream (`Accept: text/event-stream`). */
export function wantsEventStream(request: FastifyRequest): boolean {
  return /\btext\/event-stream\b/.test(request.headers.accept ?? "");
}

const KEEP_ALIVE_MS = 15_000;
const POLL_MS = 1000;

/**
 * Server-sent events of one run: everything after `Last-Event-ID` (or `?after=`), then each event
 * as it is journalled — woken by this node's bus, and by polling for runs other nodes execute.
 * Each message has `id: <seq>` so a reconnecting client continues exactly where it stopped.
 * The stream ends when the run comes to rest; a reconnect after that gets 204 (no more events),
 * which tells EventSource to stop.
 */
export async function streamRunEvents(
  request: FastifyRequest,
  reply: FastifyReply,
  runs: RunsApi,
  bus: RunBus,
  runId: string,
  after: number,
): Promise<void> {
  const first = await runs.eventsAfter(runId, after);
  if (first.events.length === 0 && first.resting) {
    await reply.code(204).send();
    return;
  }
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache, no-transform",
    connection: "keep-alive",
    "x-accel-buffering": "no",
    "x-request-id": String(request.id),
  });
  let last = after;
  let busy = false;
  let again = false;
  let closed = false;
  const send = (batch: { events: { seq: number; type: string; data: unknown; at: string }[] }) => {
    for (const e of batch.events) {
      raw.write(`id: ${e.seq}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
      last = e.seq;
    }
  };
  const finish = () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    clearInterval(poll);
    clearInterval(keepAlive);
    raw.end();
  };
  const pump = async () => {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      do {
        again = false;
        const batch = await runs.eventsAfter(runId, last);
        if (closed) return;
        send(batch);
        if (batch.resting) return finish();
        if (batch.events.length === 500) again = true;
      } while (again && !closed);
    } catch {
      finish();
    } finally {
      busy = false;
    }
  };
  const unsubscribe = bus.subscribe(runId, () => void pump());
  const poll = setInterval(() => void pump(), POLL_MS);
  const keepAlive = setInterval(() => raw.write(": keep-alive\n\n"), KEEP_ALIVE_MS);
  request.raw.on("close", finish);
  raw.write("retry: 2000\n\n");
  send(first);
  if (first.resting) finish();
}
