import type { Clock, RateLimitConfig } from "../core/index.ts";
import type { ChangeFeed, Store } from "../store/index.ts";
import type { Tokens } from "./auth/tokens.ts";
import type { Drain } from "./drain.ts";
import type { IdempotencyKeys } from "./idempotency.ts";
import type { CursorCodec } from "./paging/index.ts";
import type { RateLimiter } from "./rate-limit.ts";
import type { RequestLogOptions } from "./request-log.ts";
import type { ApiVersion } from "./version.ts";

/** What every service built on the core can use: `app.core`. */
export interface CoreContext {
  readonly store: Store;
  readonly clock: Clock;
  readonly tokens: Tokens;
  readonly cursors: CursorCodec;
  readonly rateLimiter: RateLimiter;
  readonly idempotency: IdempotencyKeys;
  readonly versions: readonly ApiVersion[];
  /** The served (latest) version, `info.version` of the OpenAPI document. */
  readonly version: string;
  readonly publicUrl: string | undefined;
  /** Set when the node shuts down: new requests get 503, open streams end. */
  readonly drain: Drain;
  /** What other nodes change (the store's feed): invalidates this node's caches, wakes its streams. */
  readonly changes: ChangeFeed;
  /**
   * How often an open event stream looks in the store anyway while notifications arrive (the
   * fallback for one that is lost); while they do not, each stream polls at its own pace.
   */
  readonly eventPollMs: number;
}

export interface ApiCoreOptions {
  readonly store: Store;
  readonly clock?: Clock;
  readonly rateLimit?: RateLimitConfig;
  readonly versions?: readonly ApiVersion[];
  /** Absolute URL clients reach this node by; else derived from each request's Host. */
  readonly publicUrl?: string;
  readonly bodyLimit?: number;
  /** Request logging (request-log.ts); `true` is `info` on standard error. Default: none. */
  readonly logger?: boolean | RequestLogOptions;
  readonly title?: string;
  /** `CoreContext.eventPollMs` (default 30 s). */
  readonly eventPollMs?: number;
}
