import { randomUUID } from "node:crypto";
import swagger from "@fastify/swagger";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, {
  type FastifyInstance,
  LogController,
  type onSendAsyncHookHandler,
  type preHandlerAsyncHookHandler,
} from "fastify";
import FindMyWay from "find-my-way";
import { DEFAULT_RATE_LIMIT, randomSecret, systemClock } from "../core/index.ts";
import { settingOrCreate } from "../store/index.ts";
import { requiredScope } from "./auth/required-scope.ts";
import { hasScope } from "./auth/scopes.ts";
import { actorOf, Tokens } from "./auth/tokens.ts";
import { clientErrorHandler } from "./client-error.ts";
import type { ApiCoreOptions, CoreContext } from "./context.ts";
import { deprecationHeaders } from "./deprecation.ts";
import { Drain } from "./drain.ts";
import { toProblem } from "./error-mapping.ts";
import { IdempotencyKeys, requestFingerprint } from "./idempotency.ts";
import { registerStrictJson } from "./json-body.ts";
import { registerMetaRoutes } from "./meta-routes.ts";
import { documentRoute } from "./openapi.ts";
import { CursorCodec } from "./paging/index.ts";
import { ProblemError } from "./problem-error.ts";
import { sendProblem } from "./problem-response.ts";
import { RateLimiter } from "./rate-limit.ts";
import { loggerOptions, registerRequestLog } from "./request-log.ts";
import { SECURITY_HEADERS } from "./security-headers.ts";
import "./route-config.ts";
import { validatorCompiler } from "./validation.ts";
import { API_VERSIONS, selectVersion } from "./version.ts";

export type ApiApp = FastifyInstance<
  import("node:http").Server,
  import("node:http").IncomingMessage,
  import("node:http").ServerResponse,
  import("fastify").FastifyBaseLogger,
  TypeBoxTypeProvider
>;

declare module "fastify" {
  interface FastifyInstance {
    core: CoreContext;
  }
}

export const MIB = 1024 * 1024;
const REQUEST_ID = /^[\w.:@/+=-]{1,200}$/;
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/**
 * The API core: a Fastify app on which every rule of API.md that one node can show holds by
 * construction. Services add routes to it; they get versioning, problems, auth, rate limits,
 * request ids, idempotency, deprecation, 404/405 and OpenAPI without writing any of it.
 */
export async function createApiCore(options: ApiCoreOptions): Promise<ApiApp> {
  const clock = options.clock ?? systemClock;
  const store = options.store;
  const versions = options.versions ?? API_VERSIONS;
  const latest = versions[versions.length - 1];
  if (!latest) throw new Error("no API versions configured");
  const cursorKey = await settingOrCreate(store.db, "cursor_signing_key", () => randomSecret(32));
  const core: CoreContext = {
    store,
    clock,
    tokens: new Tokens(store, clock, { changes: store.changes }),
    cursors: new CursorCodec(cursorKey),
    rateLimiter: new RateLimiter(store, clock, options.rateLimit ?? DEFAULT_RATE_LIMIT),
    idempotency: new IdempotencyKeys(store, clock),
    versions,
    version: latest.version,
    publicUrl: options.publicUrl,
    drain: new Drain(),
    changes: store.changes,
    eventPollMs: options.eventPollMs ?? 30_000,
  };

  const app = Fastify({
    logger:
      options.logger === undefined || options.logger === false
        ? false
        : loggerOptions(options.logger === true ? { level: "info" } : options.logger),
    // One line per request is written by registerRequestLog, not Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit ?? MIB,
    genReqId: (req) => {
      const given = req.headers["x-request-id"];
      return typeof given === "string" && REQUEST_ID.test(given)
        ? given
        : `req_${randomUUID().replaceAll("-", "")}`;
    },
    requestIdHeader: false,
    return503OnClosing: false,
    clientErrorHandler: clientErrorHandler(options.publicUrl),
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 200 },
    // A URL that is not valid percent-encoding, or a path parameter over maxParamLength, fails
    // before routing: no hook runs, and Fastify would answer with its own JSON. Answer a problem
    // with the headers every response carries instead.
    frameworkErrors: (error, request, reply) => {
      reply.headers(SECURITY_HEADERS);
      reply.header("x-request-id", request.id);
      reply.header("vary", "Accept-Version");
      reply.header("api-version", core.version);
      const answer = async () => {
        try {
          reply.headers(core.rateLimiter.headers(await core.rateLimiter.hit(`ip:${request.ip}`)));
        } catch {
          reply.header("ratelimit-policy", core.rateLimiter.policyHeader);
        }
        // Not returned: a reply is thenable, and awaiting it here would wait for itself.
        sendProblem(request, reply, toProblem(error).problem, core.publicUrl);
      };
      void answer();
    },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as ApiApp;
  // Bodies are JSON unless a route says otherwise: without this, text/plain would be read as a
  // string and answered with a 400 about the body's type instead of 415.
  app.removeContentTypeParser("text/plain");
  registerStrictJson(app);

  app.decorate("core", core);
  app.decorateRequest("auth", null as never);
  app.decorateRequest("apiVersion", "");
  app.decorateRequest("idempotencyClaim", undefined);
  app.setValidatorCompiler(validatorCompiler);

  // A shadow router of every route, so an unknown method on a known path can answer 405 + Allow.
  const shadow = FindMyWay();
  // Idempotency-Key handling, attached only to POST routes: the other methods never pay for it.
  const claimIdempotencyKey: preHandlerAsyncHookHandler = async (request, reply) => {
    const key = headerText(request.headers["idempotency-key"]);
    if (key === undefined) return;
    if (key.length === 0 || key.length > 255) {
      throw new ProblemError("validation-failed", "Idempotency-Key must be 1 to 255 characters", {
        errors: [{ detail: "must be 1 to 255 characters", pointer: "/idempotency-key", in: "header" }],
      });
    }
    const claim = await core.idempotency.claim(
      request.auth.subject,
      key,
      requestFingerprint(request.method, request.url, request.body),
    );
    if (claim.kind === "claimed") {
      // Renewed until the answer is stored (onSend runs even when the client has gone: the
      // handler is still working, so the key must stay taken), or the server closes.
      request.idempotencyClaim = claim.key;
      return;
    }
    reply.header("idempotent-replayed", "true");
    reply.headers(claim.response.headers);
    return reply.code(claim.response.status).send(claim.response.body);
  };
  const storeIdempotentResponse: onSendAsyncHookHandler<unknown> = async (request, reply, payload) => {
    const claim = request.idempotencyClaim;
    if (claim === undefined) return payload;
    request.idempotencyClaim = undefined;
    await core.idempotency.complete(
      claim,
      reply.statusCode,
      reply.getHeaders(),
      typeof payload === "string" ? payload : "",
    );
    return payload;
  };

  app.addHook("onRoute", (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (methods.includes("POST")) {
      route.preHandler = [...asArray(route.preHandler), claimIdempotencyKey];
      route.onSend = [...asArray(route.onSend), storeIdempotentResponse];
    }
    for (const m of methods) if (m !== "HEAD" && m !== "OPTIONS") shadow.on(m as "GET", route.url, () => {});
    documentRoute(route, methods);
  });

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: options.title ?? "opsdojo API",
        version: core.version,
        description:
          "Every operation follows the opsdojo API conventions (CB-01 … CB-30): versioning by `Accept-Version`, RFC 9457 problems, cursor pagination, ETags, Idempotency-Key, rate limits. See /docs.",
      },
      components: {
        securitySchemes: { bearer_token: { type: "http", scheme: "bearer", bearerFormat: "odj_…" } },
      },
      security: [{ bearer_token: [] }],
    },
    hideUntagged: false,
  });

  app.addHook("onRequest", async (request, reply) => {
    const now = clock.now();
    reply.headers(SECURITY_HEADERS);
    reply.header("x-request-id", request.id);
    reply.header("vary", "Accept-Version");
    reply.header("api-version", core.version);
    request.idempotencyClaim = undefined;
    // Shutting down: no new work. `Connection: close` so a client retries on a fresh connection.
    if (core.drain.draining) {
      reply.header("connection", "close").header("retry-after", "5");
      throw new ProblemError("unavailable", "the server is shutting down; retry shortly, or on another node");
    }

    // Who is asking: resolved before anything can fail, so even a 400 or 401 is counted and labelled.
    const authorization = request.headers.authorization;
    let token: Awaited<ReturnType<Tokens["verify"]>>;
    let malformedAuth = false;
    if (authorization !== undefined) {
      const m = /^Bearer\s+(\S+)$/i.exec(authorization);
      if (m?.[1]) {
        try {
          const verified = core.tokens.verify(m[1]);
          token = verified instanceof Promise ? await verified : verified;
        } catch (error) {
          // The store is down: a public operation (/health above all) answers anyway, anonymously.
          if (request.routeOptions.config.scope !== "public") throw error;
        }
      } else malformedAuth = true;
    }
    request.auth = token
      ? { tokenId: token.id, scopes: token.scopes, subject: token.id, actor: actorOf(token) }
      : { tokenId: undefined, scopes: [], subject: `ip:${request.ip}` };

    let limit: Awaited<ReturnType<RateLimiter["hit"]>> | undefined;
    try {
      const counted = core.rateLimiter.hit(request.auth.subject);
      limit = counted instanceof Promise ? await counted : counted;
    } catch (error) {
      // The counters live in the store. When it cannot be reached, serve rather than refuse (fail
      // open): /health must still be able to answer 503 "fail", and every other operation fails on
      // its own store access anyway.
      request.log.warn({ err: error, request_id: request.id }, "rate limit not counted");
    }
    if (limit) {
      reply.headers(core.rateLimiter.headers(limit));
      if (limit.exceeded) throw core.rateLimiter.exceededProblem(limit);
    } else reply.header("ratelimit-policy", core.rateLimiter.policyHeader);

    // The router matches `/api/services/` to `/api/services/:id` with an empty id; no such path exists.
    if (hasEmptyParam(request.params)) {
      throw new ProblemError("not-found", `no operation at ${request.method} ${request.url.split("?")[0]}`);
    }

    const served = selectVersion(versions, headerText(request.headers["accept-version"]));
    request.apiVersion = served.version;
    reply.header("api-version", served.version);
    if (served.deprecatedAt) {
      reply.headers(
        deprecationHeaders(
          {
            deprecatedAt: served.deprecatedAt,
            ...(served.sunsetAt ? { sunsetAt: served.sunsetAt } : {}),
          },
          now,
          `API version ${served.version}`,
        ),
      );
    }

    const { config, url: routeUrl } = request.routeOptions;
    if (config.deprecation)
      reply.headers(deprecationHeaders(config.deprecation, now, `${request.method} ${routeUrl}`));

    const required = request.is404 ? "public" : requiredScope(config, request.method);
    if (required === "public") return;
    if (!token) {
      reply.header("www-authenticate", 'Bearer realm="opsdojo"');
      throw new ProblemError(
        "unauthorized",
        authorization === undefined
          ? "this operation needs a bearer token: send Authorization: Bearer odj_…"
          : malformedAuth
            ? "the Authorization header must be: Bearer odj_…"
            : "the bearer token is unknown, expired or revoked",
      );
    }
    if (!hasScope(token.scopes, required)) {
      throw new ProblemError(
        "forbidden",
        `this operation needs the "${required}" scope; the token has: ${token.scopes.join(", ")}`,
        {
          extensions: { required_scope: required },
        },
      );
    }
  });

  app.setErrorHandler(async (error, request, reply) => {
    const { problem, internal } = toProblem(error);
    if (internal) request.log.error({ err: error, request_id: request.id }, "request failed");
    return sendProblem(request, reply, problem, core.publicUrl);
  });

  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split("?")[0] ?? "/";
    const allowed = METHODS.filter((m) => {
      const found = shadow.find(m, path);
      return found !== null && !hasEmptyParam(found.params);
    });
    if (allowed.length > 0) {
      if (allowed.includes("GET")) allowed.splice(1, 0, "HEAD" as never);
      reply.header("allow", allowed.join(", "));
      return sendProblem(
        request,
        reply,
        new ProblemError(
          "method-not-allowed",
          `${request.method} is not supported on ${path}; allowed: ${allowed.join(", ")}`,
        ),
        core.publicUrl,
      );
    }
    return sendProblem(
      request,
      reply,
      new ProblemError("not-found", `no operation at ${request.method} ${path}`),
      core.publicUrl,
    );
  });

  app.addHook("onClose", async () => {
    core.idempotency.letGoAll();
    core.tokens.close();
    await core.rateLimiter.close();
  });

  registerMetaRoutes(app);
  registerRequestLog(app);
  return app;
}

function asArray<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function hasEmptyParam(params: unknown): boolean {
  return typeof params === "object" && params !== null && Object.values(params).some((v) => v === "");
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(",") : value;
}
