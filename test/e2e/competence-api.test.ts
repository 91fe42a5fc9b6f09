import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Tokens } from "../../src/api/index.ts";
import { ManualClock, systemClock } from "../../src/core/index.ts";
import { SessionRepository } from "../../src/gamedays/session/index.ts";
import { assessCompetence } from "../../src/gamedays/team/competence.ts";
import { loadDrillHistory, setScenarioAreas } from "../../src/gamedays/team/history-store.ts";
import { appendEntry, markHypothesis } from "../../src/gamedays/timeline/index.ts";
import { type RunningServer, serve } from "../../src/server/index.ts";
import { openStore, type Store } from "../../src/store/index.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";

/** `GET /api/competence` on a real server: the matrix the CLI computes, read with a read token. */
let store: Store;
let server: RunningServer;
let read: string;

beforeAll(async () => {
  store = await openStore({ home: await tempDir() });
  server = await serve({ store, host: "127.0.0.1", port: 0, services: ["gamedays-team"], logger: false });
  read = (await new Tokens(store, systemClock).create({ name: "wall", scopes: ["read"] })).token;
  const post = (body: unknown) =>
    fetch(`${server.url}/api/members`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.login.token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  expect((await post({ name: "alice", class: "sysadmin", skills: ["dns"] })).status).toBe(201);
  expect((await post({ name: "bob", class: "developer", skills: ["postgres"] })).status).toBe(201);
  // One drill in dns: bob states the right hypothesis before any hint.
  const clock = new ManualClock("2026-03-01T10:00:00Z");
  const repo = new SessionRepository(store, clock);
  const id = await repo.create({
    scenario: "dns-outage",
    title: "Nobody can resolve anything",
    file: "dns-outage.yaml",
    source: "opsdojo: scenario/v1\nname: dns-outage\n",
    gm: "alice",
    players: [{ name: "bob", role: "primary" }],
    owner: "host:1",
    leaseMs: 600_000,
    faults: [{ name: "resolver", operationId: "op_x", params: {} }],
  });
  await repo.noteInjection(id, "2026-03-01T10:01:00.000Z");
  await appendEntry(store.db, clock, id, {
    kind: "fault.injected",
    source: "auto",
    text: "resolver",
    at: new Date("2026-03-01T10:01:00Z"),
  });
  const hypothesis = await appendEntry(store.db, clock, id, {
    kind: "hypothesis",
    source: "human",
    by: "bob",
    text: "the resolver is down",
    at: new Date("2026-03-01T10:03:00Z"),
  });
  await markHypothesis(store.db, id, hypothesis.seq, true);
  await setScenarioAreas(store, "dns-outage", ["dns"], clock.now());
}, 120_000);

afterAll(async () => {
  await server?.close();
  await store?.close();
  await removeTempDirs();
});

describe("GET /api/competence", () => {
  it("answers the matrix the CLI computes: one cell per person and area, by person then area", async () => {
    const response = await fetch(`${server.url}/api/competence`, {
      headers: { authorization: `Bearer ${read}` },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { cells: Record<string, unknown>[] };
    expect(body.cells).toEqual([
      expect.objectContaining({
        person: "alice",
        area: "dns",
        level: 1,
        stage: "unconsciously_incompetent",
        drills: 0,
      }),
      expect.objectContaining({
        person: "bob",
        area: "dns",
        level: 3,
        stage: "consciously_competent",
        drills: 1,
      }),
      expect.objectContaining({ person: "bob", area: "postgres", level: 1, drills: 0 }),
    ]);
    const members = new Map([
      ["alice", ["dns"]],
      ["bob", ["postgres"]],
    ]);
    const expected = assessCompetence(await loadDrillHistory(store), { declared: members });
    expect(body.cells.map((c) => [c.person, c.area, c.stage, c.reason])).toEqual(
      expected.map((c) => [c.person, c.area, c.stage, c.reason]),
    );
  });

  it("needs a token", async () => {
    expect((await fetch(`${server.url}/api/competence`)).status).toBe(401);
  });
});
