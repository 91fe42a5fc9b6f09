import { Type } from "typebox";
import type { ApiApp } from "./core.ts";
import { renderApiReference } from "./docs-page.ts";
import { checkHealth, HEALTH_MEDIA_TYPE, HealthSchema } from "./health.ts";
import { ProblemError } from "./problem-error.ts";
import { renderProblemIndex, renderProblemPage } from "./problem-pages.ts";
import { PROBLEMS, type ProblemSlug } from "./problems.ts";

/** The routes the core serves for every node: health, the OpenAPI document, docs and problem pages. */
export function registerMetaRoutes(app: ApiApp): void {
  app.get(
    "/health",
    {
      schema: {
        operationId: "get_health",
        tags: ["meta"],
        summary: "Health of this node (application/health+json): 200 for pass/warn, 503 for fail",
        response: {
          200: { description: "Healthy", content: { [HEALTH_MEDIA_TYPE]: { schema: HealthSchema } } },
          503: { description: "Unhealthy", content: { [HEALTH_MEDIA_TYPE]: { schema: HealthSchema } } },
        },
      },
      config: { scope: "public" },
    },
    async (_request, reply) => {
      const health = await checkHealth(app.core);
      reply.header("cache-control", "no-store");
      return reply
        .code(health.status === "fail" ? 503 : 200)
        .type(HEALTH_MEDIA_TYPE)
        .send(health);
    },
  );

  app.get(
    "/openapi.json",
    {
      schema: {
        operationId: "get_openapi",
        tags: ["meta"],
        summary: "This API's OpenAPI 3.1 document, generated from the route schemas",
        response: { 200: Type.Object({}, { additionalProperties: true }) },
      },
      config: { scope: "public" },
    },
    async () => app.swagger() as Record<string, unknown>,
  );

  app.get("/docs", { config: { scope: "public", internal: true } }, async (_request, reply) =>
    reply.type("text/html; charset=utf-8").send(renderApiReference(app.swagger() as never)),
  );

  app.get("/problems", { config: { scope: "public", internal: true } }, async (_request, reply) =>
    reply.type("text/html; charset=utf-8").send(renderProblemIndex()),
  );

  app.get<{ Params: { slug: string } }>(
    "/problems/:slug",
    {
      schema: { params: Type.Object({ slug: Type.String({ maxLength: 60 }) }) },
      config: { scope: "public", internal: true },
    },
    async (request, reply) => {
      const slug = request.params.slug;
      if (!(slug in PROBLEMS)) throw new ProblemError("not-found", `no problem type "${slug}"`);
      return reply.type("text/html; charset=utf-8").send(renderProblemPage(slug as ProblemSlug));
    },
  );
}
