import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { type ApiApp, createApiCore } from "../../api/index.ts";
import { ManualClock } from "../../core/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { SessionRepository } from "../session/index.ts";
import { appendEntry, markHypothesis } from "../timeline/index.ts";
import { createGamedaysUnit, type GamedaysUnit, registerGamedayRoutes } from "./index.ts";

let store: Store;
let app: ApiApp;
let headers: Record<string, string>;
let repo: SessionRepository;
let unit: GamedaysUnit;
const clock = new ManualClock("2026-03-01T10:00:00.000Z");

const SCENARIO = `opsdojo: scenario/v1
name: silent-disk
title: "The Silent Disk"
difficulty: 2
timebox: 20m
brief: |
  Checkout fails.
gm_notes: the config is empty
faults:
  - name: empty-config
    operation: ../ops/empty-config.yaml
    at: 10s
  - name: inline
    at: 1m
    steps:
      - { name: empty, uses: file.write, with: { path: /tmp/x/app.conf, content: "" } }
objectives:
  - name: healthy
    http: { url: "http://127.0.0.1:18091/health", status: 200 }
`;

beforeAll(async () => {
  store = await openStore({ home: await tempDir() });
  // Streams wake on the store's change notifications only: a fallback poll would hide a missing one.
  app = await createApiCore({
    store,
    clock,
    rateLimit: { quota: 100_000, windowSeconds: 60 },
    eventPollMs: 3_600_000,
  });
  unit = createGamedaysUnit(app.core);
  registerGamedayRoutes(app, unit);
  await app.ready();
  headers = {
    authorization: `Bearer ${(await app.core.tokens.create({ name: "t", scopes: ["admin"] })).token}`,
  };
  repo = new SessionRepository(store, clock);
});

afterAll(async () => {
  await app?.close();
  await store?.close();
  await removeTempDirs();
});

/** A session as `gameday start` leaves it: created, a fault injected at a true instant, entries. */
async function played(scenario: string): Promise<{ id: string; injected: string }> {
  const id = await repo.create({
    scenario,
    title: `Title of ${scenario}`,
    file: `${scenario}.yaml`,
    source: SCENARIO,
    gm: "alice",
    players: [{ name: "bob", role: "primary" }],
    owner: "host:1",
    leaseMs: 30_000,
    faults: [{ name: "empty-config", operationId: "op_x", params: { dir: "/srv" } }],
  });
  await appendEntry(store.db, clock, id, {
    kind: "session.started",
    source: "auto",
    text: "Checkout fails.",
  });
  clock.advance(10_000);
  const injected = clock.now().toISOString();
  await repo.setFault(id, 0, { run_id: "run_x", status: "injected", injected_at: injected });
  await repo.noteInjection(id, injected);
  await appendEntry(store.db, clock, id, {
    kind: "fault.injected",
    source: "auto",
    text: "empty-config",
    data: { fault: "empty-config", run_id: "run_x" },
  });
  clock.advance(30_000);
  await appendEntry(store.db, clock, id, { kind: "ack", source: "human", by: "bob", text: "on it" });
  return { id, injected };
}

async function playedSession(scenario: string): Promise<string> {
  return (await played(scenario)).id;
}

async function get(url: string, extra: Record<string, string> = {}) {
  return app.inject({ method: "GET", url, headers: { ...headers, ...extra } });
}

describe("scenarios on the API core", () => {
  it("registers a scenario text (201 + Location), the same text again is the same version", async () => {
    const created = await app.inject({
      method: "POST",
      url: "/api/scenarios",
      headers,
      payload: { source: SCENARIO, file: "silent-disk.yaml" },
    });
    expect(created.statusCode).toBe(201);
    const body = created.json<{
      id: string;
      name: string;
      version: number;
      faults: unknown[];
      etag: string;
    }>();
    expect(body).toMatchObject({ name: "silent-disk", version: 1, title: "The Silent Disk", difficulty: 2 });
    expect(body.faults).toEqual([
      { name: "empty-config", at: "10s", operation: "../ops/empty-config.yaml", inline_steps: 0 },
      { name: "inline", at: "1m", inline_steps: 1 },
    ]);
    const location = String(created.headers.location);
    expect(location).toMatch(new RegExp(`/api/scenarios/${body.id}$`));
    const read = await get(new URL(location).pathname);
    expect(read.json()).toEqual(body);
    expect(read.headers.etag).toBe(`"${body.etag}"`);
    expect((await get(`/api/scenarios/${body.id}`, { "if-none-match": `"${body.etag}"` })).statusCode).toBe(
      304,
    );
    expect((await get("/api/scenarios/silent-disk")).json<{ id: string }>().id).toBe(body.id);

    const again = await app.inject({
      method: "POST",
      url: "/api/scenarios",
      headers,
      payload: { source: SCENARIO },
    });
    expect(again.statusCode).toBe(200);
    expect(again.json<{ id: string }>().id).toBe(body.id);

    const changed = await app.inject({
      method: "POST",
      url: "/api/scenarios",
      headers,
      payload: { source: SCENARIO.replace("timebox: 20m", "timebox: 30m") },
    });
    expect(changed.statusCode).toBe(201);
    expect(changed.json<{ version: number }>().version).toBe(2);
    const list = (await get("/api/scenarios")).json<{ items: { name: string; version: number }[] }>();
    expect(list.items.filter((s) => s.name === "silent-disk").map((s) => s.version)).toEqual([2]);
  });

  it("refuses an invalid scenario with one errors[] item per problem, each at file:line:column", async () => {
    const bad = SCENARIO.replace("difficulty: 2", "difficulty: 9").replace("at: 1m", "at: 1h");
    const res = await app.inject({
      method: "POST",
      url: "/api/scenarios",
      headers,
      payload: { source: bad, file: "bad.yaml" },
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
    const errors = res.json<{ errors: { detail: string; pointer: string; in: string }[] }>().errors;
    expect(errors).toHaveLength(2);
    expect(errors[0]?.detail).toMatch(/^bad\.yaml:4:13: /);
    expect(errors[1]?.detail).toMatch(/^bad\.yaml:14:9: .*inside the timebox/);
    for (const e of errors) expect(e).toMatchObject({ pointer: "/source", in: "body" });

    const validateOnly = await app.inject({
      method: "POST",
      url: "/api/scenarios?validate_only=true",
      headers,
      payload: { source: bad },
    });
    expect(validateOnly.statusCode).toBe(400);
    expect(validateOnly.json<{ errors: unknown[] }>().errors).toHaveLength(2);
  });
});

describe("sessions on the API core", () => {
  it("lists sessions with filter, sort and cursors; every session exactly once", async () => {
    const ids = [await playedSession("alpha"), await playedSession("beta"), await playedSession("alpha")];
    await repo.setStatus(ids[1] as string, "ended", {
      end_reason: "gm",
      ended_at: clock.now().toISOString(),
    });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await get(`/api/sessions?limit=1&sort=-started_at${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json<{ items: { id: string }[]; next_cursor?: string }>();
      expect(page.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.items.map((s) => s.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen.filter((id) => ids.includes(id))).toEqual([...ids].reverse());

    const alpha = (await get(`/api/sessions?filter=${encodeURIComponent('scenario = "alpha"')}`)).json<{
      items: { id: string; scenario: string }[];
    }>();
    expect(alpha.items.map((s) => s.id)).toEqual([ids[0], ids[2]]);
    const ended = (await get(`/api/sessions?filter=${encodeURIComponent('status = "ended"')}`)).json<{
      items: { id: string }[];
    }>();
    expect(ended.items.map((s) => s.id)).toEqual([ids[1]]);
    expect((await get(`/api/sessions?filter=${encodeURIComponent('status = "bogus"')}`)).statusCode).toBe(
      400,
    );
  });

  it("shows one session with its faults, injection instant and metrics, with an ETag", async () => {
    const { id, injected } = await played("gamma");
    const res = await get(`/api/sessions/${id}`);
    expect(res.statusCode).toBe(200);
    const s = res.json<Record<string, unknown> & { etag: string }>();
    expect(s).toMatchObject({
      id,
      scenario: "gamma",
      kind: "drill",
      status: "running",
      gm: "alice",
      players: [{ name: "bob", role: "primary" }],
      fault_injected_at: injected,
      clean_restore: null,
      timeline_entries: 3,
      faults: [{ name: "empty-config", run_id: "run_x", injected_at: injected }],
      metrics: { acknowledge: { ms: 30_000, seq: 3 } },
    });
    expect(res.headers.etag).toBe(`"${s.etag}"`);
    const same = await get(`/api/sessions/${id}`, { "if-none-match": res.headers.etag as string });
    expect(same.statusCode).toBe(304);
    expect(same.body).toBe("");
    // A GM's verdict changes the metrics, so the tag.
    const h = await appendEntry(store.db, clock, id, { kind: "hypothesis", source: "human", text: "config" });
    const before = (await get(`/api/sessions/${id}`)).headers.etag;
    await markHypothesis(store.db, id, h.seq, true);
    const after = await get(`/api/sessions/${id}`, { "if-none-match": before as string });
    expect(after.statusCode).toBe(200);
    expect(
      after.json<{ metrics: { first_correct_hypothesis: { seq: number } } }>().metrics
        .first_correct_hypothesis.seq,
    ).toBe(h.seq);
    expect((await get("/api/sessions/gd_nope")).statusCode).toBe(404);
  });

  it("pages the timeline by sequence number and takes human entries like `gameday note`", async () => {
    const id = await playedSession("delta");
    for (let i = 0; i < 4; i++)
      await appendEntry(store.db, clock, id, { kind: "note", source: "human", text: `n${i}` });
    const seqs: number[] = [];
    let cursor: string | undefined;
    do {
      const page = (
        await get(`/api/sessions/${id}/timeline?limit=2${cursor ? `&cursor=${cursor}` : ""}`)
      ).json<{
        items: { seq: number }[];
        next_cursor?: string;
      }>();
      seqs.push(...page.items.map((e) => e.seq));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const humans = (
      await get(`/api/sessions/${id}/timeline?filter=${encodeURIComponent('source = "human"')}`)
    ).json<{
      items: { kind: string }[];
    }>();
    expect(humans.items.map((e) => e.kind)).toEqual(["ack", "note", "note", "note", "note"]);

    const res = await app.inject({
      method: "POST",
      url: `/api/sessions/${id}/timeline`,
      headers,
      payload: { kind: "hypothesis", text: "the config file is empty", by: "bob" },
    });
    expect(res.statusCode).toBe(201);
    const written = res.json<{ seq: number; kind: string; source: string; by: string }>();
    expect(written).toMatchObject({ seq: 8, kind: "hypothesis", source: "human", by: "bob", correct: null });
    const location = new URL(String(res.headers.location)).pathname;
    expect(location).toBe(`/api/sessions/${id}/timeline/8`);
    expect((await get(location)).json()).toEqual(written);
    const last = (await get(`/api/sessions/${id}/timeline?limit=500`)).json<{
      items: { seq: number; text: string }[];
    }>();
    expect(last.items.at(-1)).toMatchObject({ seq: 8, text: "the config file is empty" });

    const check = await app.inject({
      method: "POST",
      url: `/api/sessions/${id}/timeline?validate_only=true`,
      headers,
      payload: { text: "just checking" },
    });
    expect(check.statusCode).toBe(200);
    expect((await get(`/api/sessions/${id}`)).json<{ timeline_entries: number }>().timeline_entries).toBe(8);
    for (const payload of [
      { kind: "fault.injected", text: "x" },
      { text: "" },
      { text: "   " },
      { text: "x", extra: 1 },
    ]) {
      const refused = await app.inject({
        method: "POST",
        url: `/api/sessions/${id}/timeline`,
        headers,
        payload,
      });
      expect(refused.statusCode, JSON.stringify(payload)).toBe(400);
    }
    const missing = await app.inject({
      method: "POST",
      url: "/api/sessions/gd_nope/timeline",
      headers,
      payload: { text: "x" },
    });
    expect(missing.statusCode).toBe(404);
  });

  it("writes the postmortem as JSON and Markdown, with an ETag that moves when the timeline does", async () => {
    const id = await playedSession("foxtrot");
    const res = await get(`/api/sessions/${id}/postmortem`);
    expect(res.statusCode, res.body).toBe(200);
    const pm = res.json<{
      id: string;
      session_id: string;
      drill: boolean;
      timeline: unknown[];
      metrics: unknown[];
      etag: string;
    }>();
    expect(pm).toMatchObject({ id: `${id}.postmortem`, session_id: id, drill: true, scenario: "foxtrot" });
    expect(pm.timeline.length).toBeGreaterThan(0);
    expect(res.headers.etag).toBe(`"${pm.etag}"`);
    const again = await app.inject({
      method: "GET",
      url: `/api/sessions/${id}/postmortem`,
      headers: { ...headers, "if-none-match": `"${pm.etag}"` },
    });
    expect(again.statusCode).toBe(304);
    const md = await get(`/api/sessions/${id}/postmortem/md`);
    expect(md.statusCode).toBe(200);
    expect(md.headers["content-type"]).toMatch(/^text\/markdown/);
    expect(md.body).toContain("Title of foxtrot");
    expect(md.headers.etag).toBe(res.headers.etag);
    await app.inject({
      method: "POST",
      url: `/api/sessions/${id}/timeline`,
      headers,
      payload: { kind: "resolved", text: "config restored", by: "bob" },
    });
    const moved = await get(`/api/sessions/${id}/postmortem`);
    expect(moved.headers.etag).not.toBe(res.headers.etag);
    expect((await get("/api/sessions/gd_nope/postmortem")).statusCode).toBe(404);
  });

  it("takes the GM's verdict on a hypothesis (PATCH with If-Match), which sets the time to first correct hypothesis", async () => {
    const id = await playedSession("echo");
    const posted = await app.inject({
      method: "POST",
      url: `/api/sessions/${id}/timeline`,
      headers,
      payload: { kind: "hypothesis", text: "the config file is empty", by: "bob" },
    });
    const h = posted.json<{ seq: number; etag: string }>();
    const url = `/api/sessions/${id}/timeline/${h.seq}`;
    const patch = (payload: Record<string, unknown>, extra: Record<string, string> = {}, query = "") =>
      app.inject({ method: "PATCH", url: `${url}${query}`, headers: { ...headers, ...extra }, payload });
    expect((await patch({ correct: true }, { "if-match": '"stale"' })).statusCode).toBe(412);
    const dry = await patch({ correct: true }, {}, "?validate_only=true");
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ correct: true });
    expect((await get(url)).json()).toMatchObject({ correct: null });
    const marked = await patch({ correct: true }, { "if-match": `"${h.etag}"` });
    expect(marked.statusCode, marked.body).toBe(200);
    expect(marked.json()).toMatchObject({ seq: h.seq, correct: true });
    const session = (await get(`/api/sessions/${id}`)).json<{
      metrics: { first_correct_hypothesis: { seq: number } | null };
    }>();
    expect(session.metrics.first_correct_hypothesis?.seq).toBe(h.seq);
    // Only hypotheses take a verdict; the body is checked.
    expect(
      (
        await app.inject({
          method: "PATCH",
          url: `/api/sessions/${id}/timeline/1`,
          headers,
          payload: { correct: true },
        })
      ).statusCode,
    ).toBe(400);
    expect((await patch({ correct: "yes" })).statusCode).toBe(400);
  });
});

describe("the timeline over SSE", () => {
  it("resumes after Last-Event-ID, carries notes POSTed meanwhile, and ends when the session has ended", async () => {
    const id = await playedSession("epsilon");
    const base = await app.listen({ port: 0, host: "127.0.0.1" });
    const res = await fetch(`${base}/api/sessions/${id}/timeline`, {
      headers: { ...headers, accept: "text/event-stream", "last-event-id": "2" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = "";
    const until = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`the stream ended before ${needle}: ${text}`);
        text += decoder.decode(value, { stream: true });
      }
    };
    await until("id: 3\n");
    expect(text).not.toContain("id: 1\n");
    expect(text).not.toContain("id: 2\n");

    const posted = await fetch(`${base}/api/sessions/${id}/timeline`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ kind: "mitigated", text: "restored the config by hand", by: "bob" }),
    });
    expect(posted.status).toBe(201);
    await until("id: 4\n");
    expect(text).toContain("event: mitigated\n");
    const message = text.split("\n\n").find((m) => m.startsWith("id: 4\n")) as string;
    const data = JSON.parse(
      message
        .split("\n")
        .find((l) => l.startsWith("data: "))
        ?.slice(6) ?? "{}",
    );
    expect(data).toMatchObject({ seq: 4, kind: "mitigated", text: "restored the config by hand", by: "bob" });

    // The session process ends the session (another writer than the API): the stream sends the last entry and ends.
    await repo.setStatus(id, "ended", { end_reason: "resolved", ended_at: clock.now().toISOString() });
    await appendEntry(store.db, clock, id, { kind: "session.ended", source: "auto", text: "over" });
    await until("id: 5\n");
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    expect(text).toContain("event: session.ended\n");

    const after = await fetch(`${base}/api/sessions/${id}/timeline`, {
      headers: { ...headers, accept: "text/event-stream", "last-event-id": "5" },
    });
    expect(after.status).toBe(204);
  });

  it("ends the stream when the session ends after its last entry, as the runner records it", async () => {
    const id = await playedSession("eta");
    const address = app.server.address();
    const base =
      typeof address === "object" && address
        ? `http://127.0.0.1:${address.port}`
        : await app.listen({ port: 0, host: "127.0.0.1" });
    const res = await fetch(`${base}/api/sessions/${id}/timeline`, {
      headers: { ...headers, accept: "text/event-stream" },
    });
    expect(res.status).toBe(200);
    await appendEntry(store.db, clock, id, { kind: "session.ended", source: "auto", text: "over" });
    await repo.setStatus(id, "ended", { end_reason: "resolved", ended_at: clock.now().toISOString() });
    // The stream ends by itself (its fallback poll is an hour away): the status change woke it.
    const text = await res.text();
    expect(text).toContain("event: session.ended\n");
  });

  it("ends open streams when the unit stops, so a server can close while clients listen", async () => {
    const id = await playedSession("zeta");
    const address = app.server.address();
    const base =
      typeof address === "object" && address
        ? `http://127.0.0.1:${address.port}`
        : await app.listen({ port: 0, host: "127.0.0.1" });
    const res = await fetch(`${base}/api/sessions/${id}/timeline`, {
      headers: { ...headers, accept: "text/event-stream" },
    });
    expect(res.status).toBe(200);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = "";
    while (!text.includes("id: 3\n")) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the stream ended early: ${text}`);
      text += decoder.decode(value, { stream: true });
    }
    unit.streams.closeAll();
    for (;;) {
      const { done } = await reader.read();
      if (done) break;
    }
    expect((await repo.get(id)).status).toBe("running");
  });
});
