import { type ApiApp, registerCrudRoutes } from "../../api/index.ts";
import { loadBusFactorInput, serviceAreas, setServiceAreas } from "../bus-factor/load.ts";
import { brentReport } from "../bus-factor/report.ts";
import type { LearningEvents } from "../events/learning-events.ts";
import {
  LearningEventCreateSchema,
  LearningEventSchema,
  LearningEventUpdateSchema,
} from "../events/model.ts";
import { computeEvidence } from "../evidence/indicators.ts";
import { loadEvidenceInput } from "../evidence/load.ts";
import { asJson, BrentReportSchema, EvidenceQuery, EvidenceSchema, ServiceAreasBody } from "./schemas.ts";

const tags = ["learning"];

/** `/api/learning-events`, `/api/learning/evidence`, `/api/learning/bus-factor`, service areas. */
export function registerLearningRoutes(app: ApiApp, events: LearningEvents): void {
  registerCrudRoutes(app, {
    path: "/api/learning-events",
    one: "learning_event",
    many: "learning_events",
    tag: "learning",
    what: "learning events (brownbags, katas, dojos, hackdays, popup classes)",
    filterable: "kind, topic, held_on, facilitator, created_at, updated_at",
    schema: LearningEventSchema,
    createSchema: LearningEventCreateSchema,
    updateSchema: LearningEventUpdateSchema,
    service: events,
  });

  app.get(
    "/api/learning/evidence",
    {
      schema: {
        operationId: "get_learning_evidence",
        tags,
        summary: "Evidence per dimension from opsdojo's own data over a window (default the last 90 days)",
        querystring: EvidenceQuery,
        response: { 200: EvidenceSchema },
      },
    },
    async (request) => {
      const until = request.query.until ? new Date(request.query.until) : app.core.clock.now();
      return asJson(
        computeEvidence(await loadEvidenceInput(app.core.store, until, request.query.window_days)),
      );
    },
  );

  app.get(
    "/api/learning/bus-factor",
    {
      schema: {
        operationId: "get_bus_factor",
        tags,
        summary:
          "The Brent report: bus factor per skill area and service, who only one person covers, who to pair, which scenario to run",
        response: { 200: BrentReportSchema },
      },
    },
    async () => asJson(brentReport(await loadBusFactorInput(app.core.store, app.core.clock.now()))),
  );

  app.put(
    "/api/learning/service-areas/:service",
    {
      schema: {
        operationId: "put_service_areas",
        tags,
        summary: "Set the skill areas running a service needs (the bus factor per service reads them)",
        params: {
          type: "object",
          properties: { service: { type: "string", maxLength: 100 } },
          required: ["service"],
        },
        body: ServiceAreasBody,
        response: {
          200: {
            type: "object",
            properties: { service: { type: "string" }, areas: { type: "array", items: { type: "string" } } },
          },
        },
      },
    },
    async (request) => {
      const { service } = request.params as { service: string };
      await setServiceAreas(app.core.store, service, request.body.areas, app.core.clock.now());
      return { service, areas: (await serviceAreas(app.core.store)).get(service) ?? [] };
    },
  );
}
