import type { RouteOptions } from "fastify";
import { MUTATING, requiredScope } from "./auth/required-scope.ts";
import type { Scope } from "./auth/scopes.ts";
import { ProblemSchema } from "./schemas.ts";

/** A problem response as the document shows it: for the statuses a route adds of its own. */
export function problemResponse(description: string) {
  return { description, content: { "application/problem+json": { schema: ProblemSchema } } };
}

type Schema = Record<string, unknown>;

/**
 * Complete a route's schema with what the core does for it, so the OpenAPI document tells the
 * truth: the error statuses it can answer, `validate_only` on writes, security, and an empty,
 * closed query schema where the route declared none (unknown query parameters are rejected).
 */
export function documentRoute(route: RouteOptions, methods: readonly string[]): void {
  const config = (route.config ?? {}) as {
    scope?: Scope | "public";
    internal?: boolean;
    deprecation?: { sunsetAt?: Date };
  };
  const schema = (route.schema ?? {}) as Schema;
  route.schema = schema;
  if (config.internal) {
    schema.hide = true;
    return;
  }
  if (methods.includes("HEAD") && methods.length === 1) return;
  const mutating = methods.some((m) => MUTATING.has(m));
  const query = (schema.querystring as Schema | undefined) ?? {
    type: "object",
    properties: {},
    additionalProperties: false,
  };
  const properties = { ...((query.properties as Schema | undefined) ?? {}) };
  if (mutating && !("validate_only" in properties)) {
    properties.validate_only = {
      type: "boolean",
      description:
        "Validate the request and report the same errors as the real call, without any side effect.",
    };
  }
  schema.querystring = { ...query, properties };
  // The scope goes into the security requirement, so the document says what each operation needs.
  const scope = requiredScope(config, methods.find((m) => m !== "HEAD") ?? "GET");
  schema.security = scope === "public" ? [] : [{ bearer_token: [scope] }];
  if (config.deprecation) schema.deprecated = true;

  const responses = { ...((schema.response as Schema | undefined) ?? {}) };
  const add = (status: number, description: string) => {
    if (!(status in responses)) responses[status] = problemResponse(description);
  };
  add(400, "Invalid request (see `errors[]`), unsupported API version, or invalid filter/cursor");
  if (config.scope !== "public") {
    add(401, "Missing, invalid, expired or revoked bearer token");
    add(
      403,
      scope === "execute"
        ? "The token lacks the `execute` scope, or (action-not-allowed) the server's --allow-actions refuses an action this uses"
        : `The token lacks the \`${scope}\` scope`,
    );
  }
  if (route.url.includes(":") || mutating) add(404, "Not found");
  if (mutating) {
    add(409, "Conflict, or the same Idempotency-Key still in progress");
    add(412, "If-Match does not match the current ETag");
    add(413, "Body larger than 1 MiB");
    add(415, "Body is not application/json");
    add(422, "Idempotency-Key reused with a different request");
  }
  if (config.deprecation?.sunsetAt) add(410, "Retired after its sunset date");
  add(429, "Rate limit exceeded; see Retry-After");
  add(500, "Internal error");
  add(503, "A dependency is unavailable");
  schema.response = responses;
}
