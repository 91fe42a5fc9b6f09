import { afterAll, afterEach, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../test/support/temp.ts";
import { ManualClock } from "../core/index.ts";
import { openStore, type Store } from "../store/index.ts";
import { RateLimiter } from "./rate-limit.ts";

const stores: Store[] = [];
const limiters: RateLimiter[] = [];
afterEach(async () => {
  for (const l of limiters.splice(0)) await l.close();
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
afterAll(removeTempDirs);

async function limiter(quota: number, windowSeconds: number, clock: ManualClock): Promise<RateLimiter> {
  const store = await openStore({ home: await tempDir() });
  stores.push(store);
  const l = new RateLimiter(store, clock, { quota, windowSeconds });
  limiters.push(l);
  return l;
}

describe("RateLimiter", () => {
  it("counts down the remaining quota, refuses past it, and renews with the window", async () => {
    const clock = new ManualClock("2026-05-01T10:00:15.000Z");
    const l = await limiter(3, 60, clock);
    const states = [];
    for (let i = 0; i < 4; i++) states.push(await l.hit("tok_a"));
    expect(states.map((s) => [s.remaining, s.exceeded, s.reset])).toEqual([
      [2, false, 45],
      [1, false, 45],
      [0, false, 45],
      [0, true, 45],
    ]);
    expect(l.headers(states[3] as (typeof states)[number])).toEqual({
      "ratelimit-policy": '"default";q=3;w=60',
      ratelimit: '"default";r=0;t=45',
    });
    const problem = l.exceededProblem(states[3] as (typeof states)[number]);
    expect(problem.status).toBe(429);
    expect(problem.headers).toEqual({ "retry-after": "45" });
    expect((await l.hit("tok_b")).remaining).toBe(2);
    clock.advance(44_999);
    expect(await l.hit("tok_a")).toMatchObject({ exceeded: true, reset: 1 });
    clock.advance(1);
    expect(await l.hit("tok_a")).toMatchObject({ exceeded: false, remaining: 2, reset: 60 });
  });

  it("never lets the remaining quota go back up while counted hits are being written", async () => {
    const clock = new ManualClock("2026-05-01T10:00:00.000Z");
    const l = await limiter(100_000, 60, clock);
    let last = Number.POSITIVE_INFINITY;
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 25; i++) {
        const { remaining } = await l.hit("tok_busy");
        expect(remaining).toBeLessThan(last);
        last = remaining;
      }
      // A flush in flight (the timer's, or close()'s) must not hide the hits it is writing.
      const flushing = l.flush();
      const { remaining } = await l.hit("tok_busy");
      expect(remaining).toBeLessThan(last);
      last = remaining;
      await flushing;
    }
    expect(last).toBe(100_000 - 78);
  });
});
