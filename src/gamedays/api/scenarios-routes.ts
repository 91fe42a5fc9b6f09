import type { FastifyRequest } from "fastify";
import {
  type ApiApp,
  hasScope,
  IdParams,
  isValidateOnly,
  NOT_MODIFIED,
  pageQuery,
  sendCreated,
  sendEntity,
} from "../../api/index.ts";
import { withScenarioErrors } from "./problems.ts";
import type { ScenarioResource, ScenariosApi } from "./scenarios-api.ts";
import { ScenarioCreateSchema, ScenarioPage, ScenarioResourceSchema } from "./schemas.ts";

const scenario = (description: string) => ({ description, ...ScenarioResourceSchema });
const tags = ["scenarios"];

/**
 * The text holds the injects' and hints' words and the GM notes: a token that cannot run the game
 * (a wall, a player) gets the scenario without it, and the counts say how many injects there are.
 * Its own ETag, so a cache never hands one representation for the other.
 */
function forToken(request: FastifyRequest, s: ScenarioResource): ScenarioResource {
  if (hasScope(request.auth.scopes, "execute")) return s;
  const { source: _, ...rest } = s;
  return { ...rest, etag: `${s.etag}.public` };
}

/** `/api/scenarios`: scenario/v1 texts registered as numbered versions per name. */
export function registerScenariosRoutes(app: ApiApp, scenarios: ScenariosApi): void {
  app.get(
    "/api/scenarios",
    {
      schema: {
        operationId: "list_scenarios",
        tags: tags,
        summary:
          "List registered game-day scenarios, each at its latest version (filter and sort on name, title, version, created_at)",
        querystring: pageQuery(),
        response: { 200: ScenarioPage },
      },
    },
    async (request) => {
      const page = await scenarios.list(request.query);
      return { ...page, items: page.items.map((s) => forToken(request, s)) };
    },
  );

  app.post(
    "/api/scenarios",
    {
      // Its faults are what a session makes this server execute.
      config: { scope: "execute" },
      schema: {
        operationId: "register_scenario",
        tags: tags,
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
        tags: tags,
        summary: "One scenario version by id (`scn_…`), or the latest version of a name",
        params: IdParams,
        response: { 200: scenario("The scenario version"), 304: NOT_MODIFIED },
      },
    },
    async (request, reply) =>
      sendEntity(request, reply, forToken(request, await scenarios.get(request.params.id))),
  );
}
