import type { Readable } from "node:stream";
import type { FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import {
  type ApiApp,
  IdParams,
  isValidateOnly,
  NOT_MODIFIED,
  type PageQuery,
  pageQuery,
  quoteEtag,
  sendCreated,
  sendEntity,
  validationFailed,
} from "../../api/index.ts";
import { MiningLimitError, type MiningLimits, type MiningWorkers } from "../workers/index.ts";
import type { DeviationChecks } from "./checks.ts";
import type { JobCreate, MiningJobs } from "./jobs.ts";
import { jsonLines, LINE_MEDIA_TYPES, streamedLines } from "./line-source.ts";
import { type MiningModels, MODEL_MEDIA_TYPES, type ModelCreate } from "./models.ts";
import { asMiningProblems, miningProblem } from "./problems.ts";
import {
  DeviationPage,
  DeviationQuery,
  JobCreateSchema,
  JobPage,
  JobSchema,
  LinesJsonSchema,
  ModelCreateSchema,
  ModelPage,
  ModelSchema,
  TemplatePage,
} from "./schemas.ts";
import { lastEventId, streamDeviations, wantsEventStream } from "./sse.ts";

const job = (description: string) => ({ ...JobSchema, description });
const model = (description: string) => ({ ...ModelSchema, description });
const tags = ["mining"];

export interface MiningUnit {
  readonly jobs: MiningJobs;
  readonly models: MiningModels;
  readonly checks: DeviationChecks;
  /** The worker threads all mining runs on; closed (running jobs ended) when the app closes. */
  readonly workers: MiningWorkers;
  readonly limits: MiningLimits;
}

/** Room for JSON's quoting and the other fields around an event log of `maxLogBytes`. */
const logBodyLimit = (maxLogBytes: number) => Math.ceil(maxLogBytes * 1.25) + 1024 * 1024;

/** A declared Content-Length past `max` is refused before a byte of the body is read. */
function refuseDeclaredLength(
  request: FastifyRequest,
  max: number,
  limit: "maxUploadBytes" | "maxLogBytes",
  configured: number,
): void {
  const length = Number(request.headers["content-length"] ?? 0);
  if (length > max)
    throw miningProblem(new MiningLimitError(limit, configured, `the body has ${length} bytes`));
}

/** Streamed bodies, kept aside by the line route's content-type parser until its handler reads them. */
const streams = new WeakMap<FastifyRequest, Readable>();

/** `/api/mining/jobs` and `/api/mining/models`: the mining pipeline on the API core. */
export function registerMiningRoutes(app: ApiApp, unit: MiningUnit): void {
  const { jobs, models, checks, workers, limits } = unit;
  // preClose, not onClose: Fastify waits for requests in flight before onClose, and a mining
  // request in flight is exactly what must not hold up a stopping server.
  app.addHook("preClose", async () => {
    await workers.close();
  });

  app.get(
    "/api/mining/jobs",
    {
      schema: {
        operationId: "list_mining_jobs",
        tags,
        summary: "List mining jobs (filter and sort on name, created_at, updated_at)",
        querystring: pageQuery(),
        response: { 200: JobPage },
      },
    },
    async (request) => jobs.list(request.query),
  );

  app.post(
    "/api/mining/jobs",
    {
      schema: {
        operationId: "create_mining_job",
        tags,
        summary:
          "Create a mining job: how lines are split (log_format or preset, else detected) and where the case id is (case_field or case_pattern)",
        body: JobCreateSchema,
        response: { 200: job("Valid (validate_only=true); nothing was stored"), 201: job("Created") },
      },
    },
    async (request, reply) => {
      const body = request.body as JobCreate;
      if (isValidateOnly(request)) return jobs.create(body, { validateOnly: true });
      const created = await jobs.create(body);
      return sendCreated(request, reply, created, `/api/mining/jobs/${created.id}`);
    },
  );

  app.get(
    "/api/mining/jobs/:id",
    {
      schema: {
        operationId: "get_mining_job",
        tags,
        summary: "One mining job with its counts (lines, messages, events, cases, templates)",
        params: IdParams,
        response: { 200: job("The job"), 304: NOT_MODIFIED },
      },
    },
    async (request, reply) => sendEntity(request, reply, await jobs.get(request.params.id)),
  );

  // Its own scope: only this route reads text/plain and NDJSON bodies, as a stream.
  app.register(async (scope) => {
    scope.addContentTypeParser([...LINE_MEDIA_TYPES], (request, payload, done) => {
      try {
        refuseDeclaredLength(request, limits.maxUploadBytes, "maxUploadBytes", limits.maxUploadBytes);
      } catch (error) {
        done(error as Error, undefined);
        return;
      }
      streams.set(request, payload as Readable);
      const length = request.headers["content-length"];
      done(null, `streamed ${request.headers["content-type"] ?? ""} body, ${length ?? "chunked"} bytes`);
    });
    scope.post(
      "/api/mining/jobs/:id/lines",
      {
        bodyLimit: 16 * 1024 * 1024,
        schema: {
          operationId: "upload_mining_lines",
          tags,
          summary:
            "Mine log lines into the job, in order, on a mining worker: a text/plain or application/x-ndjson body is streamed line by line (up to the server's maxUploadBytes, 1 GiB by default; more is a 413 naming the limit); a JSON body is one batch {lines: [...]} (up to 10 000 lines, 16 MiB). Answers the job with its new counts once every line is committed",
          params: IdParams,
          body: {
            content: {
              "application/json": { schema: LinesJsonSchema },
              "text/plain": {
                schema: Type.String({ description: "Log lines separated by line feeds, streamed." }),
              },
              "application/x-ndjson": {
                schema: Type.String({
                  description: "JSON log lines (one object per line), streamed; read with the `json` preset.",
                }),
              },
            },
          },
          response: { 200: job("The job after the upload (or, with validate_only=true, what it would be)") },
        },
      },
      async (request, reply) => {
        const { id } = request.params as { id: string };
        const stream = streams.get(request);
        const batches = stream
          ? streamedLines(stream, limits.maxUploadBytes)
          : jsonLines((request.body as { lines: string[] }).lines);
        const updated = await asMiningProblems(() =>
          jobs.upload(id, batches, {
            validateOnly: isValidateOnly(request),
            ifMatch: request.headers["if-match"],
          }),
        );
        return sendEntity(request, reply, updated);
      },
    );
  });

  app.get(
    "/api/mining/jobs/:id/templates",
    {
      schema: {
        operationId: "list_mining_templates",
        tags,
        summary:
          "The job's templates with their counts and example messages (filter and sort on count, template)",
        params: IdParams,
        querystring: pageQuery(),
        response: { 200: TemplatePage },
      },
    },
    async (request) => jobs.templates(request.params.id, request.query),
  );

  app.get(
    "/api/mining/jobs/:id/deviations",
    {
      schema: {
        operationId: "list_mining_deviations",
        tags,
        summary:
          "Deviations of the job's cases from a model, in the order their lines arrived (filter and sort on kind, case_id, line); with `Accept: text/event-stream`, a live stream (SSE) that continues after `Last-Event-ID`",
        params: IdParams,
        querystring: DeviationQuery,
        response: { 200: DeviationPage },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { model: modelId, ...page } = request.query;
      await checkModelParam(models, modelId);
      if (!wantsEventStream(request))
        return asMiningProblems(() => checks.list(id, modelId, page as PageQuery));
      await asMiningProblems(() =>
        streamDeviations(request, reply, checks, id, modelId, lastEventId(request)),
      );
      return reply;
    },
  );

  app.get(
    "/api/mining/models",
    {
      schema: {
        operationId: "list_mining_models",
        tags,
        summary: "List stored process models (filter and sort on name, algorithm, source, created_at)",
        querystring: pageQuery(),
        response: { 200: ModelPage },
      },
    },
    async (request) => models.list(request.query),
  );

  app.post(
    "/api/mining/models",
    {
      bodyLimit: logBodyLimit(limits.maxLogBytes),
      preParsing: async (request) => {
        refuseDeclaredLength(request, logBodyLimit(limits.maxLogBytes), "maxLogBytes", limits.maxLogBytes);
      },
      schema: {
        operationId: "create_mining_model",
        tags,
        summary:
          "Discover a process model from a mining job's event log or an uploaded CSV/XES log (inductive, heuristics or dfg) on a mining worker, or store a given opsdojo-process-model/v1 document; validate_only reads the log and checks it against the limits (activities, events, bytes) without discovering",
        body: ModelCreateSchema,
        response: {
          200: model("Valid (validate_only=true); nothing was stored"),
          201: model("Discovered (or stored) and stored"),
        },
      },
    },
    async (request, reply) => {
      const body = request.body as ModelCreate;
      if (isValidateOnly(request)) return asMiningProblems(() => models.create(body, { validateOnly: true }));
      const created = await asMiningProblems(() => models.create(body));
      return sendCreated(request, reply, created, `/api/mining/models/${created.id}`);
    },
  );

  app.get(
    "/api/mining/models/:id",
    {
      schema: {
        operationId: "get_mining_model",
        tags,
        summary: "One process model, with its opsdojo-process-model/v1 document",
        params: IdParams,
        response: { 200: model("The model"), 304: NOT_MODIFIED },
      },
    },
    async (request, reply) => sendEntity(request, reply, await models.get(request.params.id)),
  );

  for (const format of ["dot", "svg", "pnml"] as const) {
    const mediaType = MODEL_MEDIA_TYPES[format].split(";")[0] as string;
    app.get(
      `/api/mining/models/:id/${format}`,
      {
        schema: {
          operationId: `get_mining_model_${format}`,
          tags,
          summary: {
            dot: "The model as Graphviz DOT (the Petri net; the directly-follows graph for dfg)",
            svg: "The model drawn as SVG (no Graphviz needed)",
            pnml: "The Petri net as PNML (2009 P/T grammar) for PM4Py and ProM",
          }[format],
          params: IdParams,
          response: {
            200: {
              description: `The model as ${format.toUpperCase()}`,
              content: { [mediaType]: { schema: { type: "string" } } },
            },
            304: NOT_MODIFIED,
          },
        },
      },
      async (request, reply) => {
        const { text, etag } = await models.render(request.params.id, format);
        reply.header("etag", quoteEtag(etag));
        const given = request.headers["if-none-match"];
        if (given?.split(",").some((t) => ["*", quoteEtag(etag)].includes(t.trim().replace(/^W\//, ""))))
          return (reply as FastifyReply).code(304).send();
        return reply.type(MODEL_MEDIA_TYPES[format]).send(text);
      },
    );
  }
}

/** `model=` names a stored model: an unknown one is a query error, not a missing page. */
async function checkModelParam(models: MiningModels, id: string): Promise<void> {
  try {
    await models.get(id);
  } catch {
    throw validationFailed([
      {
        detail: `there is no process model ${id}; list them with GET /api/mining/models`,
        pointer: "/model",
        in: "query",
      },
    ]);
  }
}
