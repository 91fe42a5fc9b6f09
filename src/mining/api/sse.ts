import type { FastifyReply, FastifyRequest } from "fastify";
import type { DeviationChecks, DeviationResource } from "./checks.ts";

/** Whether the client asked for a stream (`Accept: text/event-stream`). */
export function wantsEventStream(request: FastifyRequest): boolean {
  return /\btext\/event-stream\b/.test(request.headers.accept ?? "");
}

/** The `Last-Event-ID` a reconnecting EventSource sends: the seq of the last deviation it got. */
export function lastEventId(request: FastifyRequest): number {
  const raw = request.headers["last-event-id"];
  const n = Number(typeof raw === "string" ? raw : 0);
  return Number.isSafeInteger(n) && n > 0 ? n : 0;
}

const KEEP_ALIVE_MS = 15_000;
const POLL_MS = 1000;

/**
 * Server-sent events of a job's deviations from a model: every deviation after `Last-Event-ID`,
 * then each one as soon as the upload that reveals it is committed — woken by this node's bus,
 * and by polling for uploads other nodes mine. Each message is `id: <seq>`, `event: deviation`,
 * `data: <the deviation as JSON>`. A job never ends, so neither does the stream: the client
 * closes it.
 */
export async function streamDeviations(
  request: FastifyRequest,
  reply: FastifyReply,
  checks: DeviationChecks,
  jobId: string,
  modelId: string,
  after: number,
): Promise<void> {
  await checks.ensure(jobId, modelId);
  const first = await checks.after(jobId, modelId, after);
  reply.hijack();
  const raw = reply.raw;
  // The headers the core set (API-Version, Vary, RateLimit, X-Request-Id) go out with the stream.
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
    "api-version": request.apiVersion,
  });
  let last = after;
  let busy = false;
  let again = false;
  let closed = false;
  const send = (batch: readonly DeviationResource[]) => {
    for (const d of batch) {
      raw.write(`id: ${d.seq}\nevent: deviation\ndata: ${JSON.stringify(d)}\n\n`);
      last = d.seq;
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
        const batch = await checks.after(jobId, modelId, last);
        if (closed) return;
        send(batch);
        if (batch.length === 500) again = true;
      } while (again && !closed);
    } catch {
      finish();
    } finally {
      busy = false;
    }
  };
  const unsubscribe = checks.subscribe(jobId, () => void pump());
  const poll = setInterval(() => void pump(), POLL_MS);
  const keepAlive = setInterval(() => raw.write(": keep-alive\n\n"), KEEP_ALIVE_MS);
  request.raw.on("close", finish);
  raw.write("retry: 2000\n\n");
  send(first);
  if (first.length === 500) void pump();
}
