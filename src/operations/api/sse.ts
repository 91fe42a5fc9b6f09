import type { FastifyReply, FastifyRequest } from "fastify";
import { streamEvents } from "../../api/index.ts";
import type { RunBus } from "./run-bus.ts";
import type { RunsApi } from "./runs-api.ts";

export { wantsEventStream } from "../../api/index.ts";

/**
 * Server-sent events of one run (`id: <seq>`, `event: <type>`, the event as JSON): everything
 * after `Last-Event-ID`, then each event as it is journalled — woken by this node's bus, and by
 * polling for runs other nodes execute. The stream ends when the run comes to rest.
 */
export function streamRunEvents(
  request: FastifyRequest,
  reply: FastifyReply,
  runs: RunsApi,
  bus: RunBus,
  runId: string,
  after: number,
): Promise<void> {
  const feed = {
    after: async (last: number) => {
      const batch = await runs.eventsAfter(runId, last);
      return {
        events: batch.events.map((e) => ({ id: e.seq, event: e.type, data: e })),
        over: batch.resting,
      };
    },
    subscribe: (wake: () => void) => bus.subscribe(runId, wake),
  };
  return streamEvents(request, reply, feed, { after, pollMs: 1000, page: 500, stream: `run:${runId}` });
}
