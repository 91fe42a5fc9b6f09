import type { FastifyReply, FastifyRequest } from "fastify";
import { streamEvents } from "../../api/index.ts";
import type { DeviationChecks } from "./checks.ts";

export { lastEventId, wantsEventStream } from "../../api/index.ts";

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
  const feed = {
    after: async (last: number) => {
      const batch = await checks.after(jobId, modelId, last);
      return { events: batch.map((d) => ({ id: d.seq, event: "deviation", data: d })), over: false };
    },
    subscribe: (wake: () => void) => checks.subscribe(jobId, wake),
  };
  await streamEvents(request, reply, feed, { after, pollMs: 1000, page: 500 });
}
