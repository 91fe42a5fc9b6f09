import type { FastifyReply, FastifyRequest } from "fastify";
import { streamEvents } from "../../api/index.ts";
import type { SessionsApi } from "./sessions-api.ts";

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
export function streamTimeline(
  request: FastifyRequest,
  reply: FastifyReply,
  sessions: SessionsApi,
  streams: TimelineStreams,
  sessionId: string,
  after: number,
): Promise<void> {
  const feed = {
    after: async (last: number) => {
      const batch = await sessions.entriesAfter(sessionId, last);
      return { events: batch.entries.map((e) => ({ id: e.seq, event: e.kind, data: e })), over: batch.over };
    },
    subscribe: (wake: () => void) =>
      sessions.subscribe((id) => {
        if (id === sessionId) wake();
      }),
  };
  return streamEvents(request, reply, feed, {
    after,
    stream: `session:${sessionId}`,
    pollMs: POLL_MS,
    page: 500,
    track: (finish) => streams.add(finish),
  });
}
