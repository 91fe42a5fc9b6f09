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

interface SubjectWindow {
  windowStart: number;
  /** The store's count for this window as of our last write. */
  known: number;
  /** Hits counted here but not yet written to the store. */
  pending: number;
}

const POLICY = "default";
const FLUSH_MS = 100;

/**
 * Fixed-window counters kept in the store, so every node behind a load balancer counts against
 * the same quota.
 *
 * Writing every hit would cost more than serving a read, so a node counts locally and adds its
 * hits to the store's counter every 100 ms (reading back the total of all nodes) — except for a
 * subject's first hit in a window, and from the moment a subject has used half its quota (or
 * is within 20 requests of it): those hits are written and read back at once. Far from the limit
 * nobody waits on the store; past half the quota the count is exact across all nodes, and two
 * nodes together cannot overshoot (each can count at most half the quota before it checks).
 */
export class RateLimiter {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #config: RateLimitConfig;
  readonly #exactMargin: number;
  readonly #local = new Map<string, SubjectWindow>();
  #timer: NodeJS.Timeout | undefined;

  constructor(store: Store, clock: Clock, config: RateLimitConfig) {
    this.#store = store;
    this.#clock = clock;
    this.#config = config;
    this.#exactMargin = Math.max(20, Math.ceil(config.quota / 2));
  }

  get policyHeader(): string {
    return `"${POLICY}";q=${this.#config.quota};w=${this.#config.windowSeconds}`;
  }

  /** Count one request; answers at once (no promise) while the subject is counted locally. */
  hit(subject: string): RateLimitState | Promise<RateLimitState> {
    const nowMs = this.#clock.now().getTime();
    const windowMs = this.#config.windowSeconds * 1000;
    const windowStart = Math.floor(nowMs / windowMs) * this.#config.windowSeconds;
    let local = this.#local.get(subject);
    let fresh = false;
    if (!local || local.windowStart !== windowStart) {
      local = { windowStart, known: 0, pending: 0 };
      this.#local.set(subject, local);
      fresh = true;
    }
    // The first hit of a window is written at once, to learn what other nodes have counted.
    if (fresh || this.#config.quota - (local.known + local.pending + 1) <= this.#exactMargin) {
      const add = local.pending + 1;
      local.pending = 0;
      // Counted before the write returns, so a hit meanwhile never sees a smaller total.
      local.known += add;
      // The periodic flush also forgets ended windows, so subjects seen once do not pile up.
      this.#scheduleFlush();
      const counted = local;
      return this.#add(subject, windowStart, add).then((count) => {
        counted.known = Math.max(counted.known, count);
        return this.#state(count, windowStart, nowMs);
      });
    }
    local.pending += 1;
    this.#scheduleFlush();
    return this.#state(local.known + local.pending, windowStart, nowMs);
  }

  #state(count: number, windowStart: number, nowMs: number): RateLimitState {
    const windowMs = this.#config.windowSeconds * 1000;
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

  /** Write every locally counted hit to the store. */
  async flush(): Promise<void> {
    this.#timer = undefined;
    const writes: Promise<void>[] = [];
    const current = Math.floor(this.#clock.now().getTime() / 1000) - this.#config.windowSeconds;
    for (const [subject, local] of this.#local) {
      if (local.pending > 0) {
        const add = local.pending;
        local.pending = 0;
        // Still counted while the write is in flight: remaining must not jump back up meanwhile.
        local.known += add;
        writes.push(
          this.#add(subject, local.windowStart, add).then((count) => {
            local.known = Math.max(local.known, count);
          }),
        );
      } else if (local.windowStart < current) {
        this.#local.delete(subject);
      }
    }
    await Promise.all(writes);
  }

  /** Drop counters of windows that have ended. */
  async purge(): Promise<void> {
    const current = Math.floor(this.#clock.now().getTime() / 1000) - this.#config.windowSeconds;
    await this.#store.db.deleteFrom("rate_limits").where("window_start", "<", current).execute();
  }

  async close(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    await this.flush();
  }

  #scheduleFlush(): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => void this.flush().catch(() => {}), FLUSH_MS);
    this.#timer.unref();
  }

  async #add(subject: string, windowStart: number, add: number): Promise<number> {
    const row = await this.#store.db
      .insertInto("rate_limits")
      .values({ subject, window_start: windowStart, count: add })
      .onConflict((oc) =>
        oc
          .columns(["subject", "window_start"])
          .doUpdateSet({ count: sql<number>`rate_limits.count + ${add}` }),
      )
      .returning("count")
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }
}
