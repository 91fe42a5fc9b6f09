import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { type ApiApp, createApiCore } from "../../api/index.ts";
import { ManualClock } from "../../core/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { learningUnit } from "./unit.ts";

let store: Store;
let app: ApiApp;
let admin: Record<string, string>;
let reader: Record<string, string>;
const clock = new ManualClock("2026-03-01T10:00:00.000Z");

beforeAll(async () => {
  store = await openStore({ home: await tempDir() });
  app = await createApiCore({ store, clock, rateLimit: { quota: 100_000, windowSeconds: 60 } });
  learningUnit.register(app, {});
  await app.ready();
  const token = async (scopes: ("admin" | "read")[]) =>
    `Bearer ${(await app.core.tokens.create({ name: scopes.join(), scopes })).token}`;
  admin = { authorization: await token(["admin"]) };
  reader = { authorization: await token(["read"]) };
});

afterAll(async () => {
  await app?.close();
  await store?.close();
  await removeTempDirs();
});

describe("/api/surveys and the rounds", () => {
  let codes: Array<{ group: string; code: string }> = [];
  let roundId = "";

  it("starts a round with the built-in survey and hands out codes once; a read token may not", async () => {
    const refused = await app.inject({
      method: "POST",
      url: "/api/survey-rounds",
      headers: reader,
      payload: { invitations: { team: 3 } },
    });
    expect(refused.statusCode).toBe(403);
    const res = await app.inject({
      method: "POST",
      url: "/api/survey-rounds",
      headers: admin,
      payload: { round: "2026-q1", invitations: { ops: 3, dev: 1 } },
    });
    expect(res.statusCode).toBe(201);
    const body = res.json() as {
      round: { id: string; name: string; invitations: number };
      codes: typeof codes;
    };
    expect(body.round).toMatchObject({ name: "2026-q1", invitations: 4, responses: 0, status: "open" });
    expect(body.codes).toHaveLength(4);
    expect(body.codes[0]?.code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(res.headers.location).toBe(`/api/survey-rounds/${body.round.id}`);
    codes = body.codes;
    roundId = body.round.id;
    const got = await app.inject({ url: `/api/survey-rounds/${roundId}`, headers: reader });
    expect(JSON.stringify(got.json())).not.toContain(codes[0]?.code);
  });

  it("lets a respondent without a token see the questions and answer once; the code stays out of URLs", async () => {
    const ops = codes.filter((c) => c.group === "ops").map((c) => c.code);
    const check = await app.inject({
      method: "POST",
      url: "/api/survey-invitations/check",
      payload: { code: ops[0] },
    });
    expect(check.statusCode).toBe(200);
    const q = check.json() as {
      round: string;
      survey: { dimensions: Array<{ items: Array<{ id: string }> }> };
    };
    expect(q.round).toBe("2026-q1");
    const items = q.survey.dimensions.flatMap((d) => d.items.map((i) => i.id));
    expect(items).toHaveLength(21);
    for (const [i, code] of ops.entries()) {
      const res = await app.inject({
        method: "POST",
        url: "/api/survey-responses",
        headers: { "idempotency-key": `k${i}` },
        payload: { code, answers: Object.fromEntries(items.map((id) => [id, 3 + i])) },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ round: "2026-q1", accepted: true });
    }
    // Nothing about a response was kept beside an address and a time.
    expect(await store.db.selectFrom("idempotency_keys").selectAll().execute()).toEqual([]);
    const again = await app.inject({
      method: "POST",
      url: "/api/survey-responses",
      payload: { code: ops[0], answers: { "cl-time": 1 } },
    });
    expect(again.statusCode).toBe(400);
    expect(again.json()).toMatchObject({ code: "survey_invitation_refused" });
    expect(again.body).not.toContain("    at ");
  });

  it("shows results per dimension beside the evidence, hides the group of 1 and its complement", async () => {
    const devCode = codes.find((c) => c.group === "dev")?.code;
    await app.inject({
      method: "POST",
      url: "/api/survey-responses",
      payload: { code: devCode, answers: { "cl-time": 6 } },
    });
    const res = await app.inject({ url: `/api/survey-rounds/${roundId}/results`, headers: reader });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as {
      dimensions: Array<{
        dimension: string;
        survey: number | null;
        respondents: number | null;
        evidence: number | null;
        gap: number | null;
      }>;
      groups: Array<{
        group: string;
        dimensions: Array<{ id: string; score: number | null; hidden?: string }>;
      }>;
      evidence: { dimensions: unknown[] };
    };
    const cl = body.dimensions.find((d) => d.dimension === "continuous-learning");
    // ops answered 3, 4, 5 on every item; dev 6 on one item of continuous learning
    expect(cl).toMatchObject({ survey: 4.5, respondents: 4 });
    const ops = body.groups
      .find((g) => g.group === "ops")
      ?.dimensions.find((d) => d.id === "continuous-learning");
    const dev = body.groups
      .find((g) => g.group === "dev")
      ?.dimensions.find((d) => d.id === "continuous-learning");
    expect(dev).toMatchObject({ score: null, hidden: "fewer_than_3" });
    expect(ops).toMatchObject({ score: null, hidden: "complement" });
    expect(body.evidence.dimensions).toHaveLength(7);
  });

  it("limits wrong codes per address, with Retry-After", async () => {
    // A fresh window: the refused second answer above counted already.
    clock.advance(61_000);
    let last = 0;
    for (let i = 0; i < 11; i++) {
      const res = await app.inject({
        method: "POST",
        url: "/api/survey-invitations/check",
        payload: { code: `ZZZZ-ZZZZ-ZZ${i}0` },
      });
      last = res.statusCode;
      if (i < 10) expect(res.statusCode).toBe(400);
    }
    expect(last).toBe(429);
    const blocked = await app.inject({
      method: "POST",
      url: "/api/survey-invitations/check",
      payload: { code: "ZZZZ-ZZZZ-ZZZZ" },
    });
    expect(blocked.headers["retry-after"]).toBe("60");
    clock.advance(61_000);
    const later = await app.inject({
      method: "POST",
      url: "/api/survey-invitations/check",
      payload: { code: "ZZZZ-ZZZZ-ZZZZ" },
    });
    expect(later.statusCode).toBe(400);
  });
});

describe("/api/learning-events, evidence and the Brent report", () => {
  it("records a learning event and counts it in the evidence", async () => {
    const bad = await app.inject({
      method: "POST",
      url: "/api/learning-events",
      headers: admin,
      payload: { kind: "seminar", topic: "x", held_on: "2026-02-30", facilitator: "ann" },
    });
    expect(bad.statusCode).toBe(400);
    const res = await app.inject({
      method: "POST",
      url: "/api/learning-events",
      headers: admin,
      payload: {
        kind: "kata",
        topic: "Reading a slow query plan",
        held_on: "2026-02-20",
        skills: ["postgres"],
        facilitator: "ann",
        participants: ["bo", "cy"],
        materials_url: "https://wiki.example/katas/slow-plan",
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const list = await app.inject({ url: "/api/learning-events?filter=kind%3D%22kata%22", headers: reader });
    expect((list.json() as { items: Array<{ topic: string }> }).items.map((e) => e.topic)).toEqual([
      "Reading a slow query plan",
    ]);
    const ev = await app.inject({ url: "/api/learning/evidence", headers: reader });
    const cl = (
      ev.json() as {
        dimensions: Array<{ dimension: string; indicators: Array<{ id: string; basis: string }> }>;
      }
    ).dimensions
      .find((d) => d.dimension === "continuous-learning")
      ?.indicators.find((i) => i.id === "learning-events-per-person-month");
    expect(cl?.basis).toBe("3 attendances at 1 event");
  });

  it("serves the Brent report with service areas set over the API", async () => {
    const put = await app.inject({
      method: "PUT",
      url: "/api/learning/service-areas/orders",
      headers: admin,
      payload: { areas: ["postgres"] },
    });
    expect(put.json()).toEqual({ service: "orders", areas: ["postgres"] });
    const res = await app.inject({ url: "/api/learning/bus-factor", headers: reader });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { areas: Array<{ area: string; bus_factor: number }> };
    expect(body.areas.find((a) => a.area === "postgres")).toMatchObject({ bus_factor: 0 });
  });
});
