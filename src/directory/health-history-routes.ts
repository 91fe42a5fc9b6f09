import { Type } from "typebox";
import { type ApiApp, IdParams, pageOf, pageQuery } from "../api/index.ts";
import type { Directory } from "./directory.ts";
import { HISTORY_DAYS, HISTORY_PER_INSTANCE } from "./health-history.ts";
import { HealthEventSchema } from "./model.ts";

const HistoryQuerySchema = Type.Object(
  {
    ...pageQuery().properties,
    instance: Type.Optional(
      Type.String({ maxLength: 2000, description: "Only this instance's transitions (its base_url)." }),
    ),
    since: Type.Optional(
      Type.String({
        format: "date-time",
        description: "Only transitions at or after this instant, e.g. `2026-03-01T00:00:00Z`.",
      }),
    ),
  },
  { additionalProperties: false },
);

/** `GET /api/services/{id}/health-history`: the entry's instance status transitions, paged. */
export function registerHealthHistoryRoute(app: ApiApp, directory: Directory): void {
  app.get(
    "/api/services/:id/health-history",
    {
      schema: {
        operationId: "list_service_health_history",
        tags: ["services"],
        summary: `An entry's health transitions (a row each time an instance's status changed), newest first; kept ${HISTORY_DAYS} days and at most ${HISTORY_PER_INSTANCE} per instance`,
        params: IdParams,
        querystring: HistoryQuerySchema,
        response: { 200: pageOf(HealthEventSchema, "HealthEventPage") },
      },
    },
    async (request) => directory.history(request.params.id, request.query),
  );
}
