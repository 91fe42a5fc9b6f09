import { afterAll, afterEach, describe, expect, it } from "vitest";
import { freshPostgresUrl } from "../../test/support/fresh-postgres.ts";
import { removeTempDirs, tempDir } from "../../test/support/temp.ts";
import { ManualClock } from "../core/index.ts";
import { openStore, type Store } from "../store/index.ts";
import { RateLimiter } from "./rate-limit.ts";

const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
afterAll(removeTempDirs);

async function count(store: Store, subject: string): Promise<number> {
  const rows = await store.db
    .selectFrom("rate_limits")
    .select("count")
    .where("subject", "=", subject)
    .execute();
  return rows.reduce((n, r) => n + Number(r.count), 0);
}

describe.each([
  ["sqlite", async () => openStore({ home: await tempDir() })],
  ["postgres", async () => openStore({ databaseUrl: await freshPostgresUrl() })],
])("rate limiter on %s, two nodes sharing one store", (_name, open) => {
  it("is exact across nodes near the quota: the (quota+1)th request on either node is refused", async () => {
    const store = await open();
    stores.push(store);
    const clock = new ManualClock("2026-05-01T10:00:00.000Z");
    const quota = { quota: 30, windowSeconds: 60 };
    const a = new RateLimiter(store, clock, quota);
    const b = new RateLimiter(store, clock, quota);
    const outcomes: boolean[] = [];
    for (let i = 0; i < 40; i++) outcomes.push((await (i % 2 === 0 ? a : b).hit("tok_1")).exceeded);
    expect(outcomes.indexOf(true)).toBe(30);
    expect(outcomes.slice(30).every(Boolean)).toBe(true);
    expect(await count(store, "tok_1")).toBe(40);
  });

  it("far from the quota, counts locally and adds to the store on flush; remaining still decreases", async () => {
    const store = await open();
    stores.push(store);
    const clock = new ManualClock("2026-05-01T10:00:00.000Z");
    const limiter = new RateLimiter(store, clock, { quota: 10_000, windowSeconds: 60 });
    const remaining: number[] = [];
    for (let i = 0; i < 50; i++) remaining.push((await limiter.hit("tok_2")).remaining);
    expect(remaining[0]).toBe(9999);
    expect(remaining[49]).toBe(9950);
    await limiter.flush();
    expect(await count(store, "tok_2")).toBe(50);
    // Another node that starts now sees the first node's hits once it writes its own.
    const other = new RateLimiter(store, clock, { quota: 10_000, windowSeconds: 60 });
    await other.hit("tok_2");
    await other.flush();
    expect(await count(store, "tok_2")).toBe(51);
    expect((await other.hit("tok_2")).remaining).toBe(10_000 - 52);
    await other.close();
    await limiter.close();
  });

  it("renews in the next window and reports the seconds left in this one", async () => {
    const store = await open();
    stores.push(store);
    const clock = new ManualClock("2026-05-01T10:00:50.000Z");
    const limiter = new RateLimiter(store, clock, { quota: 2, windowSeconds: 60 });
    await limiter.hit("ip:127.0.0.1");
    await limiter.hit("ip:127.0.0.1");
    const over = await limiter.hit("ip:127.0.0.1");
    expect(over.exceeded).toBe(true);
    expect(over.reset).toBe(10);
    expect(limiter.exceededProblem(over).headers["retry-after"]).toBe("10");
    clock.advance(10_000);
    const next = await limiter.hit("ip:127.0.0.1");
    expect(next).toMatchObject({ exceeded: false, remaining: 1, reset: 60 });
    expect(limiter.headers(next)).toEqual({
      "ratelimit-policy": '"default";q=2;w=60',
      ratelimit: '"default";r=1;t=60',
    });
  });
});
