import { sql } from "kysely";
import type { Clock, RateLimitConfig } from "../core/index.ts";
import type { Store } from "../store/index.ts";
import { ProblemError } from "./problem-error.ts";

export interface RateLimitState {
  readonly quota: number;
  readonly remaining: number;
  /** Seconds until the window renews. */
  readonly reset: number;
  readonly exceeded: boolean;
}

const POLICY = "default";

/**
 * Fixed-window counters kept in the store, so every node behind a load balancer counts against
 * the same quota: one atomic upsert per request.
 */
export class RateLimiter {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #config: RateLimitConfig;

  constructor(store: Store, clock: Clock, config: RateLimitConfig) {
    this.#store = store;
    this.#clock = clock;
    this.#config = config;
  }

  get policyHeader(): string {
    return `"${POLICY}";q=${this.#config.quota};w=${this.#config.windowSeconds}`;
  }

  async hit(subject: string): Promise<RateLimitState> {
    const nowMs = this.#clock.now().getTime();
    const windowMs = this.#config.windowSeconds * 1000;
    const windowStart = Math.floor(nowMs / windowMs) * this.#config.windowSeconds;
    const row = await this.#store.db
      .insertInto("rate_limits")
      .values({ subject, window_start: windowStart, count: 1 })
      .onConflict((oc) =>
        oc.columns(["subject", "window_start"]).doUpdateSet({ count: sql<number>`rate_limits.count + 1` }),
      )
      .returning("count")
      .executeTakeFirstOrThrow();
    const count = Number(row.count);
    const reset = Math.max(1, Math.ceil((windowStart * 1000 + windowMs - nowMs) / 1000));
    return {
      quota: this.#config.quota,
      remaining: Math.max(0, this.#config.quota - count),
      reset,
      exceeded: count > this.#config.quota,
    };
  }

  headers(state: RateLimitState): Record<string, string> {
    return {
      "ratelimit-policy": this.policyHeader,
      ratelimit: `"${POLICY}";r=${state.remaining};t=${state.reset}`,
    };
  }

  exceededProblem(state: RateLimitState): ProblemError {
    return new ProblemError(
      "rate-limited",
      `quota of ${state.quota} requests per ${this.#config.windowSeconds}s used up; retry in ${state.reset}s`,
      { headers: { "retry-after": String(state.reset) } },
    );
  }

  /** Drop counters of windows that have ended. */
  async purge(): Promise<void> {
    const current = Math.floor(this.#clock.now().getTime() / 1000) - this.#config.windowSeconds;
    await this.#store.db.deleteFrom("rate_limits").where("window_start", "<", current).execute();
  }
}
