import type { FastifyReply } from "fastify";
import {
  type ApiApp,
  IdParams,
  isValidateOnly,
  NOT_MODIFIED,
  pageQuery,
  quoteEtag,
  sendCreated,
  sendEntity,
} from "../../api/index.ts";
import type { ArcLabels } from "../discovery/index.ts";
import type { MiningLimits } from "../workers/index.ts";
import { logBodyLimit, refuseDeclaredLength } from "./body-limits.ts";
import { type MiningModels, MODEL_MEDIA_TYPES, type ModelCreate } from "./models.ts";
import { asMiningProblems } from "./problems.ts";
import { ArcsQuery, ModelCreateSchema, ModelPage, ModelSchema } from "./schemas.ts";

const model = (description: string) => ({ ...ModelSchema, description });
const tags = ["mining"];

/** `/api/mining/models`: process models discovered or stored, and their renderings (DOT, SVG, PNML). */
export function registerModelsRoutes(app: ApiApp, models: MiningModels, limits: MiningLimits): void {
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

  for (const format of ["dot", "svg", "pnml", "bpmn"] as const) {
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
            bpmn: "The model as BPMN 2.0 XML with its diagram, for bpmn.io and other BPMN tools",
          }[format],
          params: IdParams,
          ...(format === "dot" || format === "svg" ? { querystring: ArcsQuery } : {}),
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
        const { arcs } = (request.query ?? {}) as { arcs?: ArcLabels };
        const { text, etag } = await models.render(request.params.id, format, arcs ? { arcs } : {});
        reply.header("etag", quoteEtag(etag));
        const given = request.headers["if-none-match"];
        if (given?.split(",").some((t) => ["*", quoteEtag(etag)].includes(t.trim().replace(/^W\//, ""))))
          return (reply as FastifyReply).code(304).send();
        return reply.type(MODEL_MEDIA_TYPES[format]).send(text);
      },
    );
  }
}
