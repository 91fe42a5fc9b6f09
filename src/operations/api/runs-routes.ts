import { Type } from "typebox";
import {
  type ApiApp,
  IdParams,
  isValidateOnly,
  NOT_MODIFIED,
  pageQuery,
  sendCreated,
  sendEntity,
} from "../../api/index.ts";
import { CONFLICT_POLICIES, type ConflictPolicy } from "../reconcile/index.ts";
import type { RunExecutor } from "./executor.ts";
import type { OperationsApi } from "./operations-api.ts";
import { withRequestErrors, withSecretProblems } from "./problems.ts";
import type { RunBus } from "./run-bus.ts";
import type { RunsApi } from "./runs-api.ts";
import { RunCreateSchema, RunEventPage, RunPage, RunSchema } from "./schemas.ts";
import { streamRunEvents, wantsEventStream } from "./sse.ts";

const run = (description: string) => ({ description, ...RunSchema });

export interface RunsRoutesDeps {
  readonly operations: OperationsApi;
  readonly runs: RunsApi;
  readonly executor: RunExecutor;
  readonly bus: RunBus;
}

/** `/api/runs`: runs queued for this server's nodes, their events (live over SSE), undo, resume, commit. */
export function registerRunsRoutes(app: ApiApp, { operations, runs, executor, bus }: RunsRoutesDeps): void {
  app.post(
    "/api/runs",
    {
      // What it registers or starts is executed by the server.
      config: { scope: "execute" },
      schema: {
        operationId: "start_run",
        tags: ["runs"],
        summary:
          "Start a run of a registered operation: it is queued, and a server node claims and executes it; follow it with GET /api/runs/{id}/events",
        body: RunCreateSchema,
        response: { 200: run("Valid (validate_only=true); nothing was queued"), 201: run("Queued") },
      },
    },
    async (request, reply) => {
      if (isValidateOnly(request))
        return withRequestErrors(() =>
          runs.start(request.body, { validateOnly: true, startedBy: request.auth.actor }),
        );
      const created = await withRequestErrors(() =>
        runs.start(request.body, { requestKey: request.idempotencyClaim, startedBy: request.auth.actor }),
      );
      executor.wake();
      return sendCreated(request, reply, created, `/api/runs/${created.id}`);
    },
  );

  app.get(
    "/api/runs",
    {
      schema: {
        operationId: "list_runs",
        tags: ["runs"],
        summary:
          'List runs (filter on status, operation_name, operation_id, created_at, finished_at, started_by, e.g. filter=started_by = "Ana"; sort e.g. -created_at)',
        querystring: pageQuery(),
        response: { 200: RunPage },
      },
    },
    async (request) => runs.list(request.query),
  );

  app.get(
    "/api/runs/:id",
    {
      schema: {
        operationId: "get_run",
        tags: ["runs"],
        summary: "One run: status, targets, failure, what could not be restored",
        params: IdParams,
        response: { 200: run("The run"), 304: NOT_MODIFIED },
      },
    },
    async (request, reply) => sendEntity(request, reply, await runs.get(request.params.id)),
  );

  app.get(
    "/api/runs/:id/events",
    {
      schema: {
        operationId: "list_run_events",
        tags: ["runs"],
        summary:
          "A run's events in sequence order, paginated; with `Accept: text/event-stream`, a live stream (SSE) that continues after `Last-Event-ID` and ends when the run comes to rest",
        params: IdParams,
        querystring: pageQuery(),
        response: {
          200: RunEventPage,
          204: { description: "SSE: the run is at rest and has no events after Last-Event-ID", type: "null" },
        },
      },
    },
    async (request, reply) => {
      if (!wantsEventStream(request)) return runs.events(request.params.id, request.query);
      const last = Number(request.headers["last-event-id"] ?? 0);
      await streamRunEvents(
        request,
        reply,
        runs,
        bus,
        request.params.id,
        Number.isInteger(last) && last > 0 ? last : 0,
      );
      return reply;
    },
  );

  const OnConflict = Type.Optional(
    Type.Enum([...CONFLICT_POLICIES], {
      description:
        "What undo (or, for resume, the step that was in flight) does with a resource changed since its step: refuse (default), restore (keep the current version aside and put the state before back) or keep; overrides each step's on_conflict.",
    }),
  );
  const action = (name: "undo" | "resume" | "commit", summary: string, status: 200 | 202) =>
    app.post(
      `/api/runs/:id/${name}`,
      {
        config: { scope: "execute" },
        schema: {
          operationId: `${name}_run`,
          tags: ["runs"],
          summary,
          params: IdParams,
          body: Type.Optional(
            name === "commit"
              ? Type.Object({}, { additionalProperties: false })
              : Type.Object(
                  {
                    params: Type.Optional(
                      Type.Record(Type.String(), Type.String(), {
                        description:
                          "The run's secret params again (never stored); not needed for secrets with a `source`.",
                      }),
                    ),
                    on_conflict: OnConflict,
                  },
                  { additionalProperties: false },
                ),
          ),
          response: {
            [status]: run(status === 202 ? "Claimed by this node; it goes on in the background" : "Done"),
          },
        },
      },
      async (request, reply) => {
        const id = request.params.id;
        const current = await runs.get(id);
        if (name === "resume") {
          // Resuming executes the rest of the run: the allow-list as it is now decides. Undo
          // is never refused: it restores what an earlier, allowed start changed.
          const operation = await operations.get(current.operation_id);
          await withRequestErrors(async () => operations.checkAllowed(operations.parsed(operation)));
        }
        if (isValidateOnly(request)) return sendEntity(request, reply, await runs.get(id));
        const body = request.body as
          | { params?: Record<string, string>; on_conflict?: ConflictPolicy }
          | undefined;
        const secrets = body?.params;
        if (name === "undo") await withSecretProblems(() => executor.undo(id, secrets, body?.on_conflict));
        else if (name === "resume")
          await withSecretProblems(() => executor.resume(id, secrets, body?.on_conflict));
        else await executor.commit(id);
        return sendEntity(request, reply, await runs.get(id), status);
      },
    );
  action(
    "undo",
    "Undo a finished, paused or interrupted run (newest change first), then verify the steady state",
    202,
  );
  action("resume", "Continue a paused or interrupted run where it stopped", 202);
  action("commit", "Accept a finished run: purge what undo kept; it can no longer be undone", 200);
}
