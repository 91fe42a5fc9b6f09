import type { Clock } from "../../core/index.ts";

/**
 * Refused invitation codes per client address: 10 a minute, counted on this node. Responding
 * needs no token, so this (beside the core's per-address rate limit) is what keeps anyone from
 * trying codes; at 10 a minute a 60-bit code space is out of reach.
 */
export class RespondLimiter {
  readonly #clock: Clock;
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #misses = new Map<string, { start: number; count: number }>();

  constructor(clock: Clock, limit = 10, windowMs = 60_000) {
    this.#clock = clock;
    this.#limit = limit;
    this.#windowMs = windowMs;
  }

  /** Seconds until `subject` may try again, or 0 when it may now. */
  blockedFor(subject: string): number {
    const now = this.#clock.now().getTime();
    const m = this.#misses.get(subject);
    if (!m || now - m.start >= this.#windowMs) return 0;
    return m.count >= this.#limit ? Math.ceil((m.start + this.#windowMs - now) / 1000) : 0;
  }

  miss(subject: string): void {
    const now = this.#clock.now().getTime();
    const m = this.#misses.get(subject);
    if (!m || now - m.start >= this.#windowMs) this.#misses.set(subject, { start: now, count: 1 });
    else m.count += 1;
    // Old windows go, so the map stays as small as the set of recent guessers.
    if (this.#misses.size > 10_000)
      for (const [k, v] of this.#misses) if (now - v.start >= this.#windowMs) this.#misses.delete(k);
  }
}
