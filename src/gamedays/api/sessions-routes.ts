import type { FastifyReply } from "fastify";
import {
  type ApiApp,
  IdParams,
  isValidateOnly,
  NOT_MODIFIED,
  noneMatch,
  pageQuery,
  quoteEtag,
  sendCreated,
  sendEntity,
} from "../../api/index.ts";
import { withScenarioErrors } from "./problems.ts";
import {
  PostmortemSchema,
  SessionCreateSchema,
  SessionEndSchema,
  SessionInjectsSchema,
  SessionPage,
  SessionReleaseSchema,
  SessionResourceSchema,
} from "./schemas.ts";
import type { SessionHost } from "./session-host.ts";
import type { SessionEnd, SessionRelease, SessionsApi } from "./sessions-api.ts";

const session = (description: string) => ({ description, ...SessionResourceSchema });
const tags = ["sessions"];

/** `/api/sessions`: sessions started here or by the CLI, the GM's commands, their postmortems. */
export function registerSessionsRoutes(app: ApiApp, sessions: SessionsApi, host: SessionHost): void {
  app.get(
    "/api/sessions",
    {
      schema: {
        operationId: "list_sessions",
        tags: tags,
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
        tags: tags,
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
          tags: tags,
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
        tags: tags,
        summary:
          "One session: status, scenario, GM, players, faults with their true injection instants, metrics once a fault went in, clean_restore",
        params: IdParams,
        response: { 200: session("The session"), 304: NOT_MODIFIED },
      },
    },
    async (request, reply) => sendEntity(request, reply, await sessions.get(request.params.id)),
  );

  app.get(
    "/api/sessions/:id/injects",
    {
      // The injects to come are the game's secret: only a token that may run sessions reads them.
      config: { scope: "execute" },
      schema: {
        operationId: "get_session_injects",
        tags: tags,
        summary:
          "The GM's list: the scenario's injects and hints with their text, when each is due (offset and instant) and whether it was released (when, early or on time). Needs `execute`: a read-only token (a wall, a player) sees only counts, on the scenario",
        params: IdParams,
        response: { 200: SessionInjectsSchema, 304: NOT_MODIFIED },
      },
    },
    async (request, reply) => sendEntity(request, reply, await sessions.injects(request.params.id)),
  );

  app.get(
    "/api/sessions/:id/postmortem",
    {
      schema: {
        operationId: "get_session_postmortem",
        tags: tags,
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
        tags: tags,
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
}
