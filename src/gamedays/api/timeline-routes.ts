import {
  type ApiApp,
  IdParams,
  isValidateOnly,
  lastEventId,
  NOT_MODIFIED,
  pageQuery,
  sendCreated,
  sendEntity,
  wantsEventStream,
} from "../../api/index.ts";
import {
  EntryMarkSchema,
  EntryParams,
  TimelineEntryCreateSchema,
  TimelineEntrySchema,
  TimelinePage,
} from "./schemas.ts";
import type { SessionsApi } from "./sessions-api.ts";
import { streamTimeline, type TimelineStreams } from "./sse.ts";

const entry = (description: string) => ({ description, ...TimelineEntrySchema });
const tags = ["sessions"];

/** `/api/sessions/{id}/timeline`: a session's entries, paginated or live over SSE; human entries and marks. */
export function registerTimelineRoutes(app: ApiApp, sessions: SessionsApi, streams: TimelineStreams): void {
  app.get(
    "/api/sessions/:id/timeline",
    {
      schema: {
        operationId: "list_timeline_entries",
        tags: tags,
        summary:
          "A session's timeline in sequence order, paginated (filter on kind, source, by, at); with `Accept: text/event-stream`, a live stream (SSE, `id:` = seq) that continues after `Last-Event-ID` and ends when the session has ended",
        params: IdParams,
        querystring: pageQuery(),
        response: {
          200: TimelinePage,
          204: {
            description: "SSE: the session has ended and has no entries after Last-Event-ID",
            type: "null",
          },
        },
      },
    },
    async (request, reply) => {
      if (!wantsEventStream(request)) return sessions.timeline(request.params.id, request.query);
      await streamTimeline(request, reply, sessions, streams, request.params.id, lastEventId(request));
      return reply;
    },
  );

  app.post(
    "/api/sessions/:id/timeline",
    {
      schema: {
        operationId: "create_timeline_entry",
        tags: tags,
        summary:
          "Write a human entry on a session's timeline (ack, hypothesis, action, mitigated, resolved, note), stamped now — what `opsdojo gameday note` does; accepted after the session ended too",
        params: IdParams,
        body: TimelineEntryCreateSchema,
        response: {
          200: entry("Valid (validate_only=true); nothing was written"),
          201: entry("Written"),
        },
      },
    },
    async (request, reply) => {
      const id = request.params.id;
      if (isValidateOnly(request)) return sessions.addEntry(id, request.body, { validateOnly: true });
      const written = await sessions.addEntry(id, request.body);
      return sendCreated(request, reply, written, `/api/sessions/${id}/timeline/${written.seq}`);
    },
  );

  app.patch(
    "/api/sessions/:id/timeline/:seq",
    {
      schema: {
        operationId: "mark_timeline_entry",
        tags: tags,
        summary:
          "The GM's verdict on a hypothesis: `{correct: true|false}` (what `opsdojo gameday mark` does); send If-Match with the entry's ETag to avoid lost updates. The first correct hypothesis sets the session's time to first correct hypothesis",
        params: EntryParams,
        body: EntryMarkSchema,
        response: { 200: entry("The marked entry (or, with validate_only=true, what it would be)") },
      },
    },
    async (request, reply) => {
      const { id, seq } = request.params;
      const ifMatch = request.headers["if-match"];
      const marked = await sessions.markEntry(id, seq, request.body.correct, {
        ifMatch: typeof ifMatch === "string" ? ifMatch : undefined,
        validateOnly: isValidateOnly(request),
      });
      return sendEntity(request, reply, marked);
    },
  );

  app.get(
    "/api/sessions/:id/timeline/:seq",
    {
      schema: {
        operationId: "get_timeline_entry",
        tags: tags,
        summary: "One timeline entry by its sequence number",
        params: EntryParams,
        response: { 200: entry("The entry"), 304: NOT_MODIFIED },
      },
    },
    async (request, reply) =>
      sendEntity(request, reply, await sessions.entry(request.params.id, request.params.seq)),
  );
}
