import { type ApiApp, IdParams, type PageQuery, validationFailed } from "../../api/index.ts";
import type { DeviationChecks } from "./checks.ts";
import type { MiningModels } from "./models.ts";
import { asMiningProblems } from "./problems.ts";
import { DeviationPage, DeviationQuery } from "./schemas.ts";
import { lastEventId, streamDeviations, wantsEventStream } from "./sse.ts";

const tags = ["mining"];

/** `/api/mining/jobs/{id}/deviations`: a job's cases against a model, paginated or live over SSE. */
export function registerDeviationsRoutes(app: ApiApp, checks: DeviationChecks, models: MiningModels): void {
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
