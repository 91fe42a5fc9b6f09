import type { FastifyReply, FastifyRequest } from "fastify";
import type { SessionsApi } from "./sessions-api.ts";

const KEEP_ALIVE_MS = 15_000;
/** Entries written by other processes (the session's own, `gameday note`) are found by polling. */
const POLL_MS = 500;

/** Open streams, so that a stopping server can end them instead of waiting for clients. */
export class TimelineStreams {
  readonly #open = new Set<() => void>();
  add(finish: () => void): () => void {
    this.#open.add(finish);
    return () => this.#open.delete(finish);
  }
  closeAll(): void {
    for (const finish of [...this.#open]) finish();
  }
}

/**
 * Server-sent events of one session's timeline: every entry after `Last-Event-ID` (its `seq`),
 * then each entry as it is recorded. Each message is `id: <seq>`, `event: <kind>`, `data: <the
 * entry as JSON>`. The stream ends once the session has ended (or was interrupted) and every
 * entry was sent; a reconnect after that gets 204, which tells EventSource to stop.
 */
export async function streamTimeline(
  request: FastifyRequest,
  reply: FastifyReply,
  sessions: SessionsApi,
  streams: TimelineStreams,
  sessionId: string,
  after: number,
): Promise<void> {
  const first = await sessions.entriesAfter(sessionId, after);
  if (first.entries.length === 0 && first.over) {
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
  const send = (batch: Awaited<ReturnType<SessionsApi["entriesAfter"]>>) => {
    for (const e of batch.entries) {
      raw.write(`id: ${e.seq}\nevent: ${e.kind}\ndata: ${JSON.stringify(e)}\n\n`);
      last = e.seq;
    }
  };
  const finish = () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    untrack();
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
        const batch = await sessions.entriesAfter(sessionId, last);
        if (closed) return;
        send(batch);
        if (batch.over) return finish();
        if (batch.entries.length === 500) again = true;
      } while (again && !closed);
    } catch {
      finish();
    } finally {
      busy = false;
    }
  };
  const unsubscribe = sessions.subscribe((id) => {
    if (id === sessionId) void pump();
  });
  const untrack = streams.add(finish);
  const poll = setInterval(() => void pump(), POLL_MS);
  const keepAlive = setInterval(() => raw.write(": keep-alive\n\n"), KEEP_ALIVE_MS);
  request.raw.on("close", finish);
  raw.write("retry: 2000\n\n");
  send(first);
  if (first.over) finish();
}
