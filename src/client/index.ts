import createClient, { type Client } from "openapi-fetch";
import {
  acceptVersion,
  type DeprecationNotice,
  deprecationNotices,
  idempotencyKeys,
  retryRateLimited,
  warnOncePerOperation,
} from "./middleware.ts";
import type { paths } from "./schema.ts";

export {
  type DeprecationNotice,
  describeDeprecation,
  retryAfterMs,
  warnOncePerOperation,
} from "./middleware.ts";
export type { components, operations, paths } from "./schema.ts";

export interface OpsdojoClientOptions {
  /** Where the server is, e.g. `http://127.0.0.1:7878`. */
  readonly baseUrl: string;
  /** Bearer token (`odj_…`); public operations work without one. */
  readonly token?: string | undefined;
  /** Sent as `Accept-Version` (default `"1"`): the major (or major.minor) this code was written for. */
  readonly acceptVersion?: string;
  /** Called for each response that carries `Deprecation`/`Sunset`; default: one warning per operation on stderr. */
  readonly onDeprecation?: (notice: DeprecationNotice) => void;
  /** How often to wait out a 429 and retry (default 3). */
  readonly maxRetries?: number;
  /** A `Retry-After` longer than this many seconds is returned to the caller instead (default 60). */
  readonly maxRetryAfterSeconds?: number;
  /** How to wait for a `Retry-After`; tests inject one that records the delays. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly fetch?: typeof globalThis.fetch;
}

/** A typed client of the opsdojo API: methods, paths, parameters and bodies checked by the compiler. */
export type OpsdojoClient = Client<paths>;

type JsonOf<R> = R extends { content: { "application/json": infer B } } ? B : never;

/** A service directory entry. */
export type Service = JsonOf<paths["/api/services/{id}"]["get"]["responses"][200]>;
/** A page of the service directory. */
export type ServicePage = JsonOf<paths["/api/services"]["get"]["responses"][200]>;
/** The body of `POST /api/services`. */
export type ServiceCreate = JsonOf<NonNullable<paths["/api/services"]["post"]["requestBody"]>>;
/** An RFC 9457 problem, as every 4xx/5xx of the API carries. */
export type Problem = paths["/api/services"]["get"]["responses"][400]["content"]["application/problem+json"];

/** Whether an error body is an RFC 9457 problem document. */
export function isProblem(value: unknown): value is Problem {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.title === "string" && typeof v.status === "number";
}

/**
 * A client on openapi-fetch with the API's conventions built in: `Accept-Version` on every
 * request, an `Idempotency-Key` on every POST (unless given), 429s waited out by `Retry-After`,
 * and `Deprecation`/`Sunset` headers surfaced.
 *
 * @example
 * const api = createOpsdojoClient({ baseUrl: "http://127.0.0.1:7878", token: process.env.OPSDOJO_TOKEN });
 * const { data, error } = await api.GET("/api/services", { params: { query: { sort: "name" } } });
 * if (error) throw new Error(`${error.title}: ${error.detail}`);
 * for (const s of data.items) console.log(s.name, s.owner);
 */
export function createOpsdojoClient(options: OpsdojoClientOptions): OpsdojoClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ""),
    ...(options.token ? { headers: { authorization: `Bearer ${options.token}` } } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  client.use(
    acceptVersion(options.acceptVersion ?? "1"),
    idempotencyKeys(),
    deprecationNotices(options.onDeprecation ?? warnOncePerOperation()),
    // Last, so that it copies the request with every header set and sees the response first.
    retryRateLimited({
      maxRetries: options.maxRetries ?? 3,
      maxWaitSeconds: options.maxRetryAfterSeconds ?? 60,
      sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      now: () => new Date(),
    }),
  );
  return client;
}
