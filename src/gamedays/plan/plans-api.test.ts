import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { type ApiApp, createApiCore } from "../../api/index.ts";
import { ManualClock } from "../../core/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { Members } from "../team/index.ts";
import { type Plan, Plans, registerPlanRoutes } from "./index.ts";

let store: Store;
let app: ApiApp;
const auth: Record<"admin" | "read" | "write" | "execute", Record<string, string>> = {
  admin: {},
  read: {},
  write: {},
  execute: {},
};
const clock = new ManualClock("2026-12-01T09:00:00.000Z");

beforeAll(async () => {
  store = await openStore({ home: await tempDir() });
  app = await createApiCore({ store, clock, rateLimit: { quota: 100_000, windowSeconds: 60 } });
  registerPlanRoutes(app, new Plans(app.core));
  await app.ready();
  for (const scope of ["admin", "read", "write", "execute"] as const)
    auth[scope] = {
      authorization: `Bearer ${(await app.core.tokens.create({ name: scope, scopes: [scope] })).token}`,
    };
  await new Members(app.core).create({ name: "fay", class: "generalist" });
  const now = clock.now().toISOString();
  await store.db
    .insertInto("gameday_scenarios")
    .values({
      id: "scn_1",
      name: "stale-banner",
      version: 1,
      title: "The Stale Banner",
      file: "s.yaml",
      source: "",
      digest: "d",
      created_at: now,
      updated_at: now,
    })
    .execute();
});

afterAll(async () => {
  await app?.close();
  await store?.close();
  await removeTempDirs();
});

const post = (headers: Record<string, string>, payload: unknown, query = "") =>
  app.inject({ method: "POST", url: `/api/gameday-plans${query}`, headers, payload: payload as object });

describe("/api/gameday-plans", () => {
  it("needs execute to plan (the scope that starts sessions) and read to look", async () => {
    const body = { scenario: "stale-banner", at: "2026-12-04T10:00:00Z", gm: "fay" };
    expect((await post(auth.read, body)).statusCode).toBe(403);
    const refused = await post(auth.write, body);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ required_scope: "execute" });
    const created = await post(auth.execute, body);
    expect(created.statusCode).toBe(201);
    const plan = created.json() as Plan;
    expect(created.headers.location).toMatch(new RegExp(`/api/gameday-plans/${plan.id}$`));
    const got = await app.inject({ url: `/api/gameday-plans/${plan.id}`, headers: auth.read });
    expect(got.statusCode).toBe(200);
    expect(got.json()).toMatchObject({ scenario: "stale-banner", gm: "fay", status: "planned" });
    expect(got.headers.etag).toBe(`"${plan.etag}"`);
  });

  it("validates only with validate_only, and answers a retried Idempotency-Key with the first plan", async () => {
    const body = { scenario: "stale-banner", at: "2026-12-06T10:00:00Z" };
    const dry = await post(auth.execute, body, "?validate_only=true");
    expect(dry.statusCode).toBe(200);
    const headers = { ...auth.execute, "idempotency-key": "plan-once" };
    const first = await post(headers, body);
    const again = await post(headers, body);
    expect(first.statusCode).toBe(201);
    expect((again.json() as Plan).id).toBe((first.json() as Plan).id);
    const all = await app.inject({
      url: `/api/gameday-plans?filter=${encodeURIComponent('at = "2026-12-06T10:00:00Z"')}`,
      headers: auth.read,
    });
    expect((all.json() as { items: Plan[] }).items).toHaveLength(1);
  });

  it("says what is wrong with a plan: unknown scenario, a past time, a stranger as GM", async () => {
    const unknown = await post(auth.execute, { scenario: "nope", at: "2026-12-06T10:00:00Z" });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: "gameday_plan_invalid" });
    expect(unknown.body).toContain('no scenario named \\"nope\\"');
    const past = await post(auth.execute, { scenario: "stale-banner", at: "2026-11-06T10:00:00Z" });
    expect(past.statusCode).toBe(400);
    expect(past.body).toContain("is in the past");
    const badTime = await post(auth.execute, { scenario: "stale-banner", at: "next tuesday" });
    expect(badTime.statusCode).toBe(400);
    const stranger = await post(auth.execute, {
      scenario: "stale-banner",
      at: "2026-12-06T10:00:00Z",
      gm: "zed",
    });
    expect(stranger.statusCode).toBe(400);
    expect(stranger.body).toContain("not a team member");
  });

  it("pages with cursors in time order and filters on status", async () => {
    for (const day of ["10", "11", "12"])
      expect(
        (await post(auth.execute, { scenario: "stale-banner", at: `2026-12-${day}T10:00:00Z` })).statusCode,
      ).toBe(201);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const q = new URLSearchParams({ sort: "at", limit: "2", filter: 'status = "planned"' });
      if (cursor) q.set("cursor", cursor);
      const page = (await app.inject({ url: `/api/gameday-plans?${q}`, headers: auth.read })).json() as {
        items: Plan[];
        next_cursor?: string;
      };
      seen.push(...page.items.map((p) => p.at.slice(0, 10)));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(["2026-12-04", "2026-12-06", "2026-12-10", "2026-12-11", "2026-12-12"]);
  });

  it("cancels with PATCH only under If-Match: 428 without, 412 when stale", async () => {
    const plan = (
      await post(auth.execute, { scenario: "stale-banner", at: "2026-12-20T10:00:00Z" })
    ).json() as Plan;
    const patch = (headers: Record<string, string>, payload: object) =>
      app.inject({ method: "PATCH", url: `/api/gameday-plans/${plan.id}`, headers, payload });
    expect((await patch(auth.execute, { status: "cancelled" })).statusCode).toBe(428);
    expect(
      (await patch({ ...auth.read, "if-match": `"${plan.etag}"` }, { status: "cancelled" })).statusCode,
    ).toBe(403);
    const noted = await patch({ ...auth.execute, "if-match": `"${plan.etag}"` }, { note: "room 2" });
    expect(noted.statusCode).toBe(200);
    expect(
      (await patch({ ...auth.execute, "if-match": `"${plan.etag}"` }, { status: "cancelled" })).statusCode,
    ).toBe(412);
    const cancelled = await patch(
      { ...auth.execute, "if-match": noted.headers.etag as string },
      { status: "cancelled" },
    );
    expect(cancelled.json()).toMatchObject({ status: "cancelled", note: "room 2" });
    expect((await patch({ ...auth.execute, "if-match": "*" }, { status: "played" })).statusCode).toBe(400);
  });
});
