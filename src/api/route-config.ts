import type { Scope } from "./auth/scopes.ts";
import type { Deprecation } from "./deprecation.ts";

/** What a route tells the core about itself, in Fastify's `config`. */
export interface CoreRouteConfig {
  /**
   * The scope a token needs; `public` needs none. Default: `read` for GET/HEAD, else `write`.
   * A route that makes the server execute actions must say `execute`.
   */
  scope?: Scope | "public";
  /** Mark the operation deprecated (headers), or retired (410 after `sunsetAt`). */
  deprecation?: Deprecation;
  /** Routes the core serves for itself (docs pages) and leaves out of the OpenAPI document. */
  internal?: boolean;
}

export interface AuthContext {
  /** The token's id, or undefined for an anonymous request. */
  readonly tokenId: string | undefined;
  readonly scopes: readonly Scope[];
  /** Who the rate limit and idempotency keys belong to: the token id or `ip:<address>`. */
  readonly subject: string;
  /** Who the token is, as a run records who started it: its person, else its name (tokens.ts actorOf). */
  readonly actor?: string | undefined;
}

declare module "fastify" {
  interface FastifyContextConfig extends CoreRouteConfig {}
  interface FastifyRequest {
    auth: AuthContext;
    apiVersion: string;
    /** Set while this request holds an Idempotency-Key claim. */
    idempotencyClaim: string | undefined;
  }
}
