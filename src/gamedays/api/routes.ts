import type { FastifyReply } from "fastify";
import {
  type ApiApp,
  IdParams,
  isValidateOnly,
  lastEventId,
  NOT_MODIFIED,
  noneMatch,
  pageQuery,
  quoteEtag,
  sendCreated,
  sendEntity,
  wantsEventStream,
} from "../../api/index.ts";
import { withScenarioErrors } from "./problems.ts";
import type { ScenariosApi } from "./scenarios-api.ts";
import {
  EntryMarkSchema,
  EntryParams,
  PostmortemSchema,
  ScenarioCreateSchema,
  ScenarioPage,
  ScenarioResourceSchema,
  SessionCreateSchema,
  SessionEndSchema,
  SessionPage,
  SessionReleaseSchema,
  SessionResourceSchema,
  TimelineEntryCreateSchema,
  TimelineEntrySchema,
  TimelinePage,
} from "./schemas.ts";
import type { SessionHost } from "./session-host.ts";
import type { SessionEnd, SessionRelease, SessionsApi } from "./sessions-api.ts";
import { streamTimeline, type TimelineStreams } from "./sse.ts";

const scenario = (description: string) => ({ description, ...ScenarioResourceSchema });
const session = (description: string) => ({ description, ...SessionResourceSchema });
const entry = (description: string) => ({ description, ...TimelineEntrySchema });

export interface GamedaysUnit {
  readonly scenarios: ScenariosApi;
  readonly sessions: SessionsApi;
  readonly streams: TimelineStreams;
  readonly host: SessionHost;
}

/** `/api/scenarios` and `/api/sessions` (with their timelines): game days on the API core. */
export function registerGamedayRoutes(app: ApiApp, unit: GamedaysUnit): void {
  const { scenarios, sessions, streams, host } = unit;
  const scenarioTags = ["scenarios"];
  const sessionTags = ["sessions"];

  app.get(
    "/api/scenarios",
    {
      schema: {
        operationId: "list_scenarios",
        tags: scenarioTags,
        summary:
          "List registered game-day scenarios, each at its latest version (filter and sort on name, title, version, created_at)",
        querystring: pageQuery(),
        response: { 200: ScenarioPage },
      },
    },
    async (request) => scenarios.list(request.query),
  );

  app.post(
    "/api/scenarios",
    {
      // Its faults are what a session makes this server execute.
      config: { scope: "execute" },
      schema: {
        operationId: "register_scenario",
        tags: scenarioTags,
        summary:
          "Register a scenario file (scenario/v1); problems come back as errors[] with file:line:column; the same text again is the same version",
        body: ScenarioCreateSchema,
        response: {
          200: scenario("Already registered with this exact text (or, with validate_only=true, valid)"),
          201: scenario("Registered as a new version"),
        },
      },
    },
    async (request, reply) => {
      const { scenario: registered, created } = await withScenarioErrors(() =>
        scenarios.register(request.body, { validateOnly: isValidateOnly(request) }),
      );
      if (created) return sendCreated(request, reply, registered, `/api/scenarios/${registered.id}`);
      return sendEntity(request, reply, registered);
    },
  );

  app.get(
    "/api/scenarios/:id",
    {
      schema: {
        operationId: "get_scenario",
        tags: scenarioTags,
        summary: "One scenario version by id (`scn_…`), or the latest version of a name",
        params: IdParams,
        response: { 200: scenario("The scenario version"), 304: NOT_MODIFIED },
      },
    },
    async (request, reply) => sendEntity(request, reply, await scenarios.get(request.params.id)),
  );

  app.get(
    "/api/sessions",
    {
      schema: {
        operationId: "list_sessions",
        tags: sessionTags,
        summary:
          'List game-day sessions (filter on status, scenario, gm, created_at, started_at, updated_at, ended_at, e.g. filter=status = "ended" AND scenario = "broken-config"; sort e.g. -started_at)',
        querystring: pageQuery(),
        response: { 200: SessionPage },
      },
    },
    async (request) => sessions.list(request.query),
  );

  app.post(
    "/api/sessions",
    {
      // A session plays faults (actions) on this server.
      config: { scope: "execute" },
      schema: {
        operationId: "start_session",
        tags: sessionTags,
        summary:
          "Start a session of a registered scenario, played by this server as `opsdojo gameday start` plays one: refused (nothing started) when a fault could not be undone, a role is unknown or an objective fails before any fault; faults go in on schedule, and at the end every fault is undone and the objectives checked again",
        body: SessionCreateSchema,
        response: {
          200: session("Valid (validate_only=true): the session it would open; nothing was started"),
          201: session("Started; it goes on in this server"),
        },
      },
    },
    async (request, reply) => {
      if (isValidateOnly(request))
        return sendEntity(
          request,
          reply,
          await withScenarioErrors(() => host.validate(request.body), "/scenario"),
        );
      const id = await withScenarioErrors(() => host.start(request.body), "/scenario");
      return sendCreated(request, reply, await sessions.get(id), `/api/sessions/${id}`);
    },
  );

  // The GM's commands: checked here (validate_only stops there), carried out by whichever
  // process plays the session at its next check.
  const commands = [
    {
      path: "end",
      operationId: "end_session",
      summary:
        "The GM's word: the running session (played by any process) ends at its next check — as resolved, or stopped — then every fault is undone; follow it on the timeline",
      body: SessionEndSchema,
      act: (id: string, body: unknown, dryRun: boolean) =>
        sessions.requestEnd(id, body as SessionEnd, dryRun),
    },
    {
      path: "release",
      operationId: "release_session_item",
      summary: "Release an inject or hint of the running session now instead of at its time (the GM's call)",
      body: SessionReleaseSchema,
      act: (id: string, body: unknown, dryRun: boolean) =>
        sessions.requestRelease(id, body as SessionRelease, dryRun),
    },
  ] as const;
  for (const c of commands)
    app.post(
      `/api/sessions/:id/${c.path}`,
      {
        config: { scope: "execute" },
        schema: {
          operationId: c.operationId,
          tags: sessionTags,
          summary: c.summary,
          params: IdParams,
          body: c.body,
          response: {
            202: session("Handed to the running session (with validate_only=true: it would be)"),
          },
        },
      },
      async (request, reply) =>
        sendEntity(
          request,
          reply,
          await c.act(request.params.id, request.body, isValidateOnly(request)),
          202,
        ),
    );

  app.get(
    "/api/sessions/:id",
    {
      schema: {
        operationId: "get_session",
        tags: sessionTags,
        summary:
          "One session: status, scenario, GM, players, faults with their true injection instants, metrics once a fault went in, clean_restore",
        params: IdParams,
        response: { 200: session("The session"), 304: NOT_MODIFIED },
      },
    },
    async (request, reply) => sendEntity(request, reply, await sessions.get(request.params.id)),
  );

  app.get(
    "/api/sessions/:id/postmortem",
    {
      schema: {
        operationId: "get_session_postmortem",
        tags: sessionTags,
        summary:
          "The session's postmortem, as `opsdojo gameday postmortem --format json`: summary, impact, the merged timeline, metrics, what went well / wrong / lucky, root cause (from the GM notes), action items and whether done ones moved later runs' times. Written afresh on every read; the ETag follows its content",
        params: IdParams,
        response: { 200: PostmortemSchema, 304: NOT_MODIFIED },
      },
    },
    async (request, reply) => sendEntity(request, reply, await sessions.postmortem(request.params.id)),
  );

  app.get(
    "/api/sessions/:id/postmortem/md",
    {
      schema: {
        operationId: "get_session_postmortem_markdown",
        tags: sessionTags,
        summary: "The same postmortem as Markdown, as `opsdojo gameday postmortem --format md` writes it",
        params: IdParams,
        response: {
          200: {
            description: "The postmortem as Markdown",
            content: { "text/markdown": { schema: { type: "string" } } },
          },
          304: NOT_MODIFIED,
        },
      },
    },
    async (request, reply) => {
      const { text, etag } = await sessions.postmortemMarkdown(request.params.id);
      reply.header("etag", quoteEtag(etag));
      if (!noneMatch(request.headers["if-none-match"], etag)) return (reply as FastifyReply).code(304).send();
      return reply.type("text/markdown; charset=utf-8").send(text);
    },
  );

  app.get(
    "/api/sessions/:id/timeline",
    {
      schema: {
        operationId: "list_timeline_entries",
        tags: sessionTags,
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
        tags: sessionTags,
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
        tags: sessionTags,
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
        tags: sessionTags,
        summary: "One timeline entry by its sequence number",
        params: EntryParams,
        response: { 200: entry("The entry"), 304: NOT_MODIFIED },
      },
    },
    async (request, reply) =>
      sendEntity(request, reply, await sessions.entry(request.params.id, request.params.seq)),
  );
}
