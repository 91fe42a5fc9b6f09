import { afterAll, afterEach, describe, expect, it } from "vitest";
import { freshPostgresUrl } from "../../test/support/fresh-postgres.ts";
import { removeTempDirs, tempDir } from "../../test/support/temp.ts";
import { ManualClock } from "../core/index.ts";
import { openStore, type Store } from "../store/index.ts";
import { IdempotencyKeys, IN_FLIGHT_MS, requestFingerprint } from "./idempotency.ts";
import { ProblemError } from "./problem-error.ts";

const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
afterAll(removeTempDirs);

async function expiresAt(store: Store, key: string): Promise<string> {
  const row = await store.db
    .selectFrom("idempotency_keys")
    .select("expires_at")
    .where("key", "=", key)
    .executeTakeFirstOrThrow();
  return row.expires_at;
}

async function refusal(promise: Promise<unknown>): Promise<ProblemError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ProblemError) return error;
    throw error;
  }
  throw new Error("expected a problem");
}

describe("requestFingerprint", () => {
  it("is the same for the same data in any key order, and differs with method, URL or body", () => {
    const a = requestFingerprint("POST", "/api/services", {
      name: "a",
      nested: { x: 1, y: [1, { b: 2, a: 1 }] },
    });
    const b = requestFingerprint("POST", "/api/services", {
      nested: { y: [1, { a: 1, b: 2 }], x: 1 },
      name: "a",
    });
    expect(a).toBe(b);
    expect(requestFingerprint("POST", "/api/services?validate_only=true", { name: "a" })).not.toBe(
      requestFingerprint("POST", "/api/services", { name: "a" }),
    );
    expect(requestFingerprint("PUT", "/x", {})).not.toBe(requestFingerprint("POST", "/x", {}));
    expect(requestFingerprint("POST", "/x", { a: [1, 2] })).not.toBe(
      requestFingerprint("POST", "/x", { a: [2, 1] }),
    );
    expect(requestFingerprint("POST", "/x", undefined)).toBe(requestFingerprint("POST", "/x", null));
  });
});

describe.each([
  ["SQLite", async () => openStore({ home: await tempDir() })],
  ["PostgreSQL", async () => openStore({ databaseUrl: await freshPostgresUrl() })],
])("IdempotencyKeys on %s", (_name, open) => {
  async function setup() {
    const store = await open();
    stores.push(store);
    const clock = new ManualClock("2026-04-01T00:00:00.000Z");
    return { keys: new IdempotencyKeys(store, clock), clock, store };
  }

  it("claims a key once; the same request is 409 while in flight, then replays the stored response", async () => {
    const { keys } = await setup();
    const claim = await keys.claim("tok_1", "k", "hash-a");
    expect(claim).toEqual({ kind: "claimed", key: "tok_1 k" });
    const busy = await refusal(keys.claim("tok_1", "k", "hash-a"));
    expect([busy.slug, busy.status]).toEqual(["idempotency-key-in-use", 409]);

    await keys.complete(
      "tok_1 k",
      201,
      { location: "http://x/1", etag: '"e"', "x-other": "no", "content-type": "application/json" },
      '{"id":1}',
    );
    expect(await keys.claim("tok_1", "k", "hash-a")).toEqual({
      kind: "replay",
      response: {
        status: 201,
        headers: { location: "http://x/1", etag: '"e"', "content-type": "application/json" },
        body: '{"id":1}',
      },
    });
  });

  it("refuses the key with another request (422), in flight or done", async () => {
    const { keys } = await setup();
    await keys.claim("tok_1", "k", "hash-a");
    expect((await refusal(keys.claim("tok_1", "k", "hash-b"))).status).toBe(422);
    await keys.complete("tok_1 k", 200, {}, "{}");
    expect((await refusal(keys.claim("tok_1", "k", "hash-b"))).slug).toBe("idempotency-key-reused");
  });

  it("keeps each subject's keys apart", async () => {
    const { keys } = await setup();
    await keys.claim("tok_1", "k", "hash-a");
    expect((await keys.claim("tok_2", "k", "hash-b")).kind).toBe("claimed");
  });

  it("frees an abandoned claim (nobody renews it) after IN_FLIGHT_MS, and a finished one after a day", async () => {
    const { keys, clock } = await setup();
    await keys.claim("tok_1", "k", "hash-a");
    keys.letGo("tok_1 k"); // the node that claimed it is gone: nobody renews
    clock.advance(IN_FLIGHT_MS - 1);
    expect((await refusal(keys.claim("tok_1", "k", "hash-a"))).status).toBe(409);
    clock.advance(1);
    expect((await keys.claim("tok_1", "k", "hash-b")).kind).toBe("claimed");
    await keys.complete("tok_1 k", 201, {}, "first");
    clock.advance(24 * 3600_000 - 1);
    expect((await keys.claim("tok_1", "k", "hash-b")).kind).toBe("replay");
    clock.advance(1);
    expect((await keys.claim("tok_1", "k", "hash-c")).kind).toBe("claimed");
  });

  it("keeps a claim that is renewed past IN_FLIGHT_MS: a long request is not run twice", async () => {
    const { keys, clock } = await setup();
    await keys.claim("tok_1", "k", "hash-a");
    for (let i = 0; i < 5; i++) {
      clock.advance(IN_FLIGHT_MS - 1_000);
      await keys.renew("tok_1 k");
    }
    expect((await refusal(keys.claim("tok_1", "k", "hash-a"))).status).toBe(409);
    await keys.complete("tok_1 k", 201, {}, "done");
    expect(keys.held).toBe(0);
    clock.advance(IN_FLIGHT_MS * 2);
    expect((await keys.claim("tok_1", "k", "hash-a")).kind).toBe("replay");
  });

  it("leaves alone a claim another node took after ours lapsed: no renewing, answering or freeing it", async () => {
    const { store, clock } = await setup();
    const a = new IdempotencyKeys(store, clock);
    const b = new IdempotencyKeys(store, clock);
    try {
      await a.claim("tok_1", "k", "hash-a");
      clock.advance(IN_FLIGHT_MS); // a stalled past its lease
      expect((await b.claim("tok_1", "k", "hash-a")).kind).toBe("claimed");
      const theirs = await expiresAt(store, "tok_1 k");
      clock.advance(1_000);
      await a.renew("tok_1 k");
      expect(await expiresAt(store, "tok_1 k")).toBe(theirs);
      await a.complete("tok_1 k", 201, {}, "a's answer");
      expect((await refusal(b.claim("tok_1", "k", "hash-a"))).status).toBe(409); // still b's, in flight
      await b.complete("tok_1 k", 201, {}, "b's answer");
      const replay = await b.claim("tok_1", "k", "hash-a");
      expect(replay.kind === "replay" && replay.response.body).toBe("b's answer");
    } finally {
      a.letGoAll();
      b.letGoAll();
    }
  });

  it("does not free another node's claim on a 5xx of its own lapsed one", async () => {
    const { store, clock } = await setup();
    const a = new IdempotencyKeys(store, clock);
    const b = new IdempotencyKeys(store, clock);
    try {
      await a.claim("tok_1", "k", "hash-a");
      clock.advance(IN_FLIGHT_MS);
      await b.claim("tok_1", "k", "hash-a");
      await a.complete("tok_1 k", 503, {}, "down");
      expect((await refusal(b.claim("tok_1", "k", "hash-a"))).status).toBe(409);
    } finally {
      a.letGoAll();
      b.letGoAll();
    }
  });

  it("renews its own claims on a timer until they are answered", async () => {
    const { store, clock } = await setup();
    const keys = new IdempotencyKeys(store, clock, { renewEveryMs: 10 });
    try {
      await keys.claim("tok_1", "k", "hash-a");
      expect(keys.held).toBe(1);
      const first = await expiresAt(store, "tok_1 k");
      clock.advance(60_000);
      // Wait (bounded) for the timer to write the later expiry; no assumption on how fast it runs.
      let now = first;
      for (let i = 0; i < 500 && now === first; i++) {
        await new Promise((r) => setTimeout(r, 10));
        now = await expiresAt(store, "tok_1 k");
      }
      expect(Date.parse(now)).toBe(clock.now().getTime() + IN_FLIGHT_MS);
      await keys.release("tok_1 k");
      expect(keys.held).toBe(0);
    } finally {
      keys.letGoAll();
    }
  });

  it("does not keep a 5xx: the key is free for a retry", async () => {
    const { keys } = await setup();
    await keys.claim("tok_1", "k", "hash-a");
    await keys.complete("tok_1 k", 503, {}, "down");
    expect((await keys.claim("tok_1", "k", "hash-a")).kind).toBe("claimed");
  });

  it("purges expired records only", async () => {
    const { keys, clock, store } = await setup();
    await keys.claim("tok_1", "old", "h");
    await keys.complete("tok_1 old", 200, {}, "");
    clock.advance(12 * 3600_000);
    await keys.claim("tok_1", "new", "h");
    await keys.complete("tok_1 new", 200, {}, "");
    clock.advance(12 * 3600_000 + 1);
    await keys.purge();
    const left = await store.db.selectFrom("idempotency_keys").select("key").execute();
    expect(left.map((r) => r.key)).toEqual(["tok_1 new"]);
  });
});
