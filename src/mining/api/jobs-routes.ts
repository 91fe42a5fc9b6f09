import type { Readable } from "node:stream";
import type { FastifyRequest } from "fastify";
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
import type { MiningLimits } from "../workers/index.ts";
import { refuseDeclaredLength } from "./body-limits.ts";
import type { JobCreate, MiningJobs } from "./jobs.ts";
import { jsonLines, LINE_MEDIA_TYPES, streamedLines } from "./line-source.ts";
import { asMiningProblems } from "./problems.ts";
import { JobCreateSchema, JobPage, JobSchema, LinesJsonSchema, TemplatePage } from "./schemas.ts";

const job = (description: string) => ({ ...JobSchema, description });
const tags = ["mining"];

/** Streamed bodies, kept aside by the line route's content-type parser until its handler reads them. */
const streams = new WeakMap<FastifyRequest, Readable>();

/** `/api/mining/jobs`: jobs, the lines uploaded into them, and the templates mined from those. */
export function registerJobsRoutes(app: ApiApp, jobs: MiningJobs, limits: MiningLimits): void {
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
}
