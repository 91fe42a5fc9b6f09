import type { FastifyReply, FastifyRequest } from "fastify";

/** One server-sent event: `id: <id>`, `event: <event>`, `data: <data as JSON>`. */
export interface StreamEvent {
  readonly id: number;
  readonly event: string;
  readonly data: unknown;
}

/** Where a stream's events come from; the store stays the one source of order and truth. */
export interface EventFeed {
  /** Events after `last`, oldest first (at most `page` of them), and whether the stream is over. */
  after(last: number): Promise<{ readonly events: readonly StreamEvent[]; readonly over: boolean }>;
  /** Wake the stream when this node writes something (others are found by polling). */
  subscribe(wake: () => void): () => void;
}

export interface StreamOptions {
  /** Send what comes after this id (`Last-Event-ID`). */
  readonly after: number;
  /**
   * The stream's name in change notifications (`run:<id>`, `session:<id>`; store/changes): an
   * event another node writes wakes the stream at once, and polling slows to the core's
   * `eventPollMs` while notifications arrive. Without it, the stream polls at `pollMs`.
   */
  readonly stream?: string;
  /** How often to look for events written by other processes or nodes (when not notified). */
  readonly pollMs: number;
  /** The most events `after` returns at once: a full page means more are waiting. */
  readonly page: number;
  readonly keepAliveMs?: number;
  /** Register the stream's `finish`, so a stopping server can end it; returns the unregister. */
  readonly track?: (finish: () => void) => () => void;
}

/** Whether the client asked for a stream (`Accept: text/event-stream`). */
export function wantsEventStream(request: FastifyRequest): boolean {
  return /\btext\/event-stream\b/.test(request.headers.accept ?? "");
}

/** The `Last-Event-ID` a reconnecting EventSource sends (0 when absent or not a positive integer). */
export function lastEventId(request: FastifyRequest): number {
  const raw = request.headers["last-event-id"];
  const n = Number(typeof raw === "string" ? raw : 0);
  return Number.isSafeInteger(n) && n > 0 ? n : 0;
}

/**
 * Server-sent events over the API core: everything after `Last-Event-ID`, then each event as it
 * is written — woken by this node, and by polling for what other processes write. Every message
 * has `id:`, so a reconnecting client continues exactly where it stopped. A stream whose feed is
 * over ends; a reconnect after that gets 204, which tells EventSource to stop. The headers the
 * core set (API-Version, RateLimit, X-Request-Id) go out with the stream.
 */
export async function streamEvents(
  request: FastifyRequest,
  reply: FastifyReply,
  feed: EventFeed,
  options: StreamOptions,
): Promise<void> {
  const first = await feed.after(options.after);
  if (first.events.length === 0 && first.over) {
    await reply.code(204).send();
    return;
  }
  reply.hijack();
  const raw = reply.raw;
  const core = Object.fromEntries(
    Object.entries(reply.getHeaders()).filter(
      (e): e is [string, string | number | string[]] => e[1] !== undefined,
    ),
  );
  raw.writeHead(200, {
    ...core,
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache, no-transform",
    connection: "keep-alive",
    "x-accel-buffering": "no",
    "x-request-id": String(request.id),
  });
  let last = options.after;
  let busy = false;
  let again = false;
  let closed = false;
  const send = (events: readonly StreamEvent[]) => {
    for (const e of events) {
      raw.write(`id: ${e.id}\nevent: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`);
      last = e.id;
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
        const batch = await feed.after(last);
        if (closed) return;
        send(batch.events);
        if (batch.over) return finish();
        if (batch.events.length >= options.page) again = true;
      } while (again && !closed);
    } catch {
      finish();
    } finally {
      busy = false;
    }
  };
  const unsubscribeLocal = feed.subscribe(() => void pump());
  const changes = request.server.core.changes;
  const stream = options.stream;
  const unsubscribeChanges =
    stream === undefined
      ? () => {}
      : changes.subscribe({
          change: (c) => {
            // seq 0: no new event, but the stream may be over now.
            if (c.kind === "event" && c.stream === stream && (c.seq > last || c.seq === 0)) void pump();
          },
          // A notification may have been missed (reconnection, another process's write): look.
          reset: () => void pump(),
        });
  const unsubscribe = () => {
    unsubscribeLocal();
    unsubscribeChanges();
  };
  let lastPoll = performance.now();
  const tick = () => {
    // While notifications arrive, the poll is only the fallback for a lost one.
    if (
      stream !== undefined &&
      changes.check() &&
      performance.now() - lastPoll < request.server.core.eventPollMs
    )
      return;
    lastPoll = performance.now();
    void pump();
  };
  const untrackUnit = options.track?.(finish) ?? (() => {});
  // Every stream ends when the node shuts down, whichever unit opened it.
  const untrackNode = request.server.core.drain.track(finish);
  const untrack = () => {
    untrackUnit();
    untrackNode();
  };
  const poll = setInterval(tick, options.pollMs);
  const keepAlive = setInterval(() => raw.write(": keep-alive\n\n"), options.keepAliveMs ?? 15_000);
  request.raw.on("close", finish);
  raw.write("retry: 2000\n\n");
  send(first.events);
  // Over already, or the node began to shut down while this stream was being opened.
  if (first.over || request.server.core.drain.draining) finish();
  else if (first.events.length >= options.page) void pump();
}
