import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sharedData } from "../../../test/support/shared-data.ts";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { type ApiApp, createApiCore } from "../../api/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { registerMiningRoutes } from "./routes.ts";
import { createMiningUnit } from "./unit.ts";

const OPENSSH = sharedData("loghub-2k", "OpenSSH", "OpenSSH_2k.log");

let store: Store;
let app: ApiApp;
let headers: Record<string, string>;

beforeAll(async () => {
  store = await openStore({ home: await tempDir() });
  app = await createApiCore({ store, rateLimit: { quota: 100_000, windowSeconds: 60 } });
  registerMiningRoutes(app, createMiningUnit(app.core));
  await app.ready();
  const token = (await app.core.tokens.create({ name: "t", scopes: ["admin"] })).token;
  headers = { authorization: `Bearer ${token}` };
});

afterAll(async () => {
  await app?.close();
  await store?.close();
  await removeTempDirs();
});

interface Job {
  id: string;
  etag: string;
  lines: number;
  messages: number;
  unmatched: number;
  events: number;
  cases: number;
  templates: number;
  without_case: number;
  format?: { source: string; origin: string };
}
interface Template {
  template_id: number;
  template: string;
  count: number;
  examples: string[];
}

async function createJob(body: Record<string, unknown>): Promise<Job> {
  const res = await app.inject({ method: "POST", url: "/api/mining/jobs", headers, payload: body });
  expect(res.statusCode).toBe(201);
  return res.json<Job>();
}

async function allTemplates(id: string): Promise<Template[]> {
  const out: Template[] = [];
  let cursor: string | undefined;
  do {
    const res = await app.inject({
      method: "GET",
      url: `/api/mining/jobs/${id}/templates?limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      headers,
    });
    expect(res.statusCode).toBe(200);
    const page = res.json<{ items: Template[]; next_cursor?: string }>();
    out.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return out;
}

describe("mining jobs on the API core", () => {
  it("mines a streamed text body and a JSON batch of the same lines into the same templates", async () => {
    const text = await readFile(OPENSSH, "utf8");
    const lines = text.split("\n").filter((l, i, all) => i < all.length - 1 || l !== "");
    const streamed = await createJob({ name: "streamed", preset: "syslog", case_field: "Pid" });
    const res = await app.inject({
      method: "POST",
      url: `/api/mining/jobs/${streamed.id}/lines`,
      headers: { ...headers, "content-type": "text/plain; charset=utf-8" },
      payload: text,
    });
    expect(res.statusCode).toBe(200);
    const after = res.json<Job>();
    expect(after).toMatchObject({ lines: 2000, messages: 2000, events: 2000, cases: 519, without_case: 0 });
    expect(res.headers.etag).toBe(`"${after.etag}"`);

    const batched = await createJob({ name: "batched", preset: "syslog", case_field: "Pid" });
    for (let i = 0; i < lines.length; i += 500) {
      const r = await app.inject({
        method: "POST",
        url: `/api/mining/jobs/${batched.id}/lines`,
        headers,
        payload: { lines: lines.slice(i, i + 500) },
      });
      expect(r.statusCode).toBe(200);
    }
    const a = await allTemplates(streamed.id);
    const b = await allTemplates(batched.id);
    expect(a.length).toBe(after.templates);
    expect(b.map((t) => [t.template_id, t.template, t.count])).toEqual(
      a.map((t) => [t.template_id, t.template, t.count]),
    );
    expect(a.reduce((n, t) => n + t.count, 0)).toBe(2000);
    const failed = a.find((t) => t.template === "Failed password for <*> from <*> port <*> ssh2");
    expect(failed?.examples.length).toBe(3);
    expect(failed?.examples[0]).toMatch(/^Failed password for \S+ from [\d.]+ port \d+ ssh2$/);
  });

  it("keeps template ids across uploads and detects the header format from the first lines", async () => {
    const job = await createJob({ name: "two uploads", case_pattern: "sshd\\[(\\d+)\\]" });
    const text = await readFile(OPENSSH, "utf8");
    const [first, second] = [
      text.slice(0, text.indexOf("\n", text.length / 2) + 1),
      text.slice(text.indexOf("\n", text.length / 2) + 1),
    ];
    const send = (payload: string) =>
      app.inject({
        method: "POST",
        url: `/api/mining/jobs/${job.id}/lines`,
        headers: { ...headers, "content-type": "text/plain" },
        payload,
      });
    expect((await send(first)).statusCode).toBe(200);
    const before = new Map((await allTemplates(job.id)).map((t) => [t.template, t.template_id]));
    const done = (await send(second)).json<Job>();
    expect(done.format).toEqual({ source: expect.stringContaining("<Pid>"), origin: "detected" });
    expect(done).toMatchObject({ lines: 2000, cases: 519 });
    for (const t of await allTemplates(job.id)) {
      if (before.has(t.template)) expect(t.template_id).toBe(before.get(t.template));
    }
  });

  it("counts no event of a stretch whose commit never came, and drops them at the next upload", async () => {
    const job = await createJob({ name: "crashed", log_format: "<Case> <Content>", case_field: "Case" });
    const send = (lines: string[]) =>
      app.inject({ method: "POST", url: `/api/mining/jobs/${job.id}/lines`, headers, payload: { lines } });
    expect((await send(["c1 start", "c1 stop", "c2 start"])).json<Job>()).toMatchObject({
      lines: 3,
      events: 3,
    });
    // What a crash between a stretch's event writes and its commit leaves: events past `lines`.
    await store.db
      .insertInto("mining_events")
      .values([4, 5].map((seq) => ({ job_id: job.id, seq, case_id: "ghost", template_id: 1, at: null })))
      .execute();
    const done = (await send(["c3 start"])).json<Job>();
    expect(done).toMatchObject({ lines: 4, events: 4, cases: 3 });
    const events = await store.db
      .selectFrom("mining_events")
      .select(["seq", "case_id"])
      .where("job_id", "=", job.id)
      .orderBy("seq")
      .execute();
    expect(events.map((e) => `${e.seq}:${e.case_id}`)).toEqual(["1:c1", "2:c1", "3:c2", "4:c3"]);
  });

  it("reads NDJSON log lines with the json preset: message, case field and time", async () => {
    const job = await createJob({ name: "json", preset: "json", case_field: "req" });
    const body = [
      { time: "2024-05-01T10:00:00Z", req: "r1", msg: "request started" },
      { time: "2024-05-01T10:00:01Z", req: "r1", level: "info", msg: "request done in 12 ms" },
      { time: "2024-05-01T10:00:02Z", msg: "cache warmed" },
      { time: "2024-05-01T10:00:03Z", req: "r2", msg: "request started" },
    ]
      .map((o) => JSON.stringify(o))
      .join("\n");
    const res = await app.inject({
      method: "POST",
      url: `/api/mining/jobs/${job.id}/lines`,
      headers: { ...headers, "content-type": "application/x-ndjson" },
      payload: body,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json<Job>()).toMatchObject({
      lines: 4,
      messages: 4,
      unmatched: 0,
      events: 3,
      without_case: 1,
      cases: 2,
    });
    expect((await allTemplates(job.id)).map((t) => [t.template, t.count])).toEqual([
      ["request started", 2],
      ["request done in <*> ms", 1],
      ["cache warmed", 1],
    ]);
    const model = (
      await app.inject({
        method: "POST",
        url: "/api/mining/models",
        headers,
        payload: { job_id: job.id, algorithm: "dfg" },
      })
    ).json<{ model: { dfg: { edges: { source: string; target: string; meanMs: number | null }[] } } }>();
    // The times came from the `time` field: one second from start to done.
    expect(model.model.dfg.edges).toEqual([
      expect.objectContaining({ source: "request started", target: "request done in <*> ms", meanMs: 1000 }),
    ]);
  });

  it("validate_only mines nothing into the job, and a stale If-Match changes nothing", async () => {
    const job = await createJob({
      name: "careful",
      log_format: "<Time> <Case> <Content>",
      case_field: "Case",
    });
    const url = `/api/mining/jobs/${job.id}/lines`;
    const payload = { lines: ["1 c1 start job", "2 c1 end job", "", "3 no-case"] };
    const dry = await app.inject({ method: "POST", url: `${url}?validate_only=true`, headers, payload });
    expect(dry.statusCode).toBe(200);
    expect(dry.json<Job>()).toMatchObject({
      lines: 4,
      messages: 3,
      unmatched: 1,
      events: 2,
      without_case: 1,
      cases: 1,
    });
    const unchanged = await app.inject({ method: "GET", url: `/api/mining/jobs/${job.id}`, headers });
    expect(unchanged.json<Job>()).toMatchObject({ lines: 0, etag: job.etag });
    expect(await allTemplates(job.id)).toEqual([]);

    const real = await app.inject({
      method: "POST",
      url,
      headers: { ...headers, "if-match": `"${job.etag}"` },
      payload,
    });
    expect(real.statusCode).toBe(200);
    const stale = await app.inject({
      method: "POST",
      url,
      headers: { ...headers, "if-match": `"${job.etag}"` },
      payload,
    });
    expect(stale.statusCode).toBe(412);
    const now = await app.inject({ method: "GET", url: `/api/mining/jobs/${job.id}`, headers });
    expect(now.json<Job>()).toMatchObject({ lines: 4, events: 2 });
  });

  it("answers problems for bad job definitions and unknown jobs", async () => {
    const bad = await app.inject({
      method: "POST",
      url: "/api/mining/jobs",
      headers,
      payload: { name: "x", log_format: "<Date> <Time>", case_pattern: "(" },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ errors: { pointer: string }[] }>().errors.map((e) => e.pointer)).toEqual([
      "/log_format",
    ]);
    const pattern = await app.inject({
      method: "POST",
      url: "/api/mining/jobs",
      headers,
      payload: { name: "x", case_pattern: "(" },
    });
    expect(pattern.json<{ errors: { pointer: string }[] }>().errors[0]?.pointer).toBe("/case_pattern");
    const field = await app.inject({
      method: "POST",
      url: "/api/mining/jobs",
      headers,
      payload: { name: "x", preset: "syslog", case_field: "Nope" },
    });
    expect(field.statusCode).toBe(400);
    const missing = await app.inject({
      method: "POST",
      url: "/api/mining/jobs/mjob_nope/lines",
      headers: { ...headers, "content-type": "text/plain" },
      payload: "a line\n",
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers["content-type"]).toMatch(/^application\/problem\+json/);
    const other = await app.inject({
      method: "POST",
      url: "/api/mining/jobs",
      headers: { ...headers, "content-type": "text/plain" },
      payload: "name=x",
    });
    expect(other.statusCode).toBe(415);
  });
});

describe("process models and deviations on the API core", () => {
  it("discovers from a job, renders it, and stores deviations only for what does not fit", async () => {
    const job = await createJob({
      name: "orders",
      log_format: "<Time> <Case> <Content>",
      case_field: "Case",
    });
    const url = `/api/mining/jobs/${job.id}/lines`;
    const fitting = [
      "1 c1 receive order",
      "2 c1 check stock",
      "3 c1 ship order",
      "1 c2 receive order",
      "2 c2 check stock",
      "3 c2 ship order",
    ];
    await app.inject({ method: "POST", url, headers, payload: { lines: fitting } });
    const created = await app.inject({
      method: "POST",
      url: "/api/mining/models",
      headers,
      payload: { job_id: job.id },
    });
    expect(created.statusCode).toBe(201);
    const model = created.json<{ id: string; activities: string[]; source: string; cases: number }>();
    expect(model).toMatchObject({ source: "job", cases: 2 });
    expect(model.activities).toEqual(["check stock", "receive order", "ship order"]);
    expect(created.headers.location).toMatch(new RegExp(`/api/mining/models/${model.id}$`));

    // The model document stored as given is the same model.
    const doc = (await app.inject({ method: "GET", url: `/api/mining/models/${model.id}`, headers })).json<{
      model: Record<string, unknown>;
    }>().model;
    const given = await app.inject({
      method: "POST",
      url: "/api/mining/models",
      headers,
      payload: { name: "given", model: doc },
    });
    expect(given.statusCode).toBe(201);
    expect(given.json()).toMatchObject({
      name: "given",
      source: "model",
      activities: model.activities,
      model: doc,
    });

    const dot = await app.inject({ method: "GET", url: `/api/mining/models/${model.id}/dot`, headers });
    expect(dot.headers["content-type"]).toMatch(/^text\/vnd\.graphviz/);
    expect(dot.body).toMatch(/^digraph/);
    const again = await app.inject({
      method: "GET",
      url: `/api/mining/models/${model.id}/dot`,
      headers: { ...headers, "if-none-match": String(dot.headers.etag) },
    });
    expect(again.statusCode).toBe(304);

    const list = (q = "") =>
      app.inject({
        method: "GET",
        url: `/api/mining/jobs/${job.id}/deviations?model=${model.id}${q}`,
        headers,
      });
    expect((await list()).json()).toEqual({ items: [] });
    await app.inject({
      method: "POST",
      url,
      headers,
      payload: { lines: ["4 c3 receive order", "5 c3 ship order", "6 c3 refund"] },
    });
    const found = (await list()).json<{
      items: { case_id: string; activity: string; kind: string; line: number; expected: string[] }[];
    }>();
    expect(found.items).toEqual([
      expect.objectContaining({
        case_id: "c3",
        activity: "ship order",
        kind: "missing",
        line: 8,
        expected: ["check stock"],
      }),
      expect.objectContaining({ case_id: "c3", activity: "refund", kind: "unexpected", line: 9 }),
    ]);
    // "4" in the Time field is no point in time: the deviation has no `at`.
    expect(found.items[0]).not.toHaveProperty("at");
    const filtered = (await list("&filter=kind%20%3D%20%22unexpected%22")).json<{ items: unknown[] }>();
    expect(filtered.items).toHaveLength(1);
    const unknown = await app.inject({
      method: "GET",
      url: `/api/mining/jobs/${job.id}/deviations?model=mdl_nope`,
      headers,
    });
    expect(unknown.statusCode).toBe(400);
  });

  it("checks a long streamed upload stretch by stretch: only the injected cases deviate", async () => {
    const job = await createJob({ name: "long", log_format: "<Time> <Case> <Content>", case_field: "Case" });
    const url = `/api/mining/jobs/${job.id}/lines`;
    const steps = ["receive order", "check stock", "ship order"];
    const seed = Array.from({ length: 4 }, (_, c) => steps.map((s, i) => `${i} s${c} ${s}`)).flat();
    await app.inject({ method: "POST", url, headers, payload: { lines: seed } });
    const model = (
      await app.inject({ method: "POST", url: "/api/mining/models", headers, payload: { job_id: job.id } })
    ).json<{ id: string }>();
    // Attach the check before the upload, so it advances with every committed stretch.
    await app.inject({
      method: "GET",
      url: `/api/mining/jobs/${job.id}/deviations?model=${model.id}`,
      headers,
    });

    // 15 000 cases, 45 000 lines, interleaved three cases at a time (more than two stretches);
    // every 1 000th case ships without checking the stock.
    const lines: string[] = [];
    for (let c = 0; c < 15_000; c += 3) {
      for (const [i, step] of steps.entries()) {
        for (let k = c; k < c + 3; k++) {
          if (k % 1000 === 999 && step === "check stock") continue;
          lines.push(`${i} case-${k} ${step}`);
        }
      }
    }
    const res = await app.inject({
      method: "POST",
      url,
      headers: { ...headers, "content-type": "text/plain" },
      payload: `${lines.join("\n")}\n`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json<Job>()).toMatchObject({
      lines: 12 + lines.length,
      events: 12 + lines.length,
      cases: 15_004,
    });
    const found: { case_id: string; kind: string; expected: string[] }[] = [];
    let cursor: string | undefined;
    do {
      const page = (
        await app.inject({
          method: "GET",
          url: `/api/mining/jobs/${job.id}/deviations?model=${model.id}&limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
          headers,
        })
      ).json<{ items: typeof found; next_cursor?: string }>();
      found.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor);
    expect(found.map((d) => [d.case_id, d.kind, d.expected])).toEqual(
      Array.from({ length: 15 }, (_, i) => [`case-${i * 1000 + 999}`, "missing", ["check stock"]]),
    );
  });

  it("refuses a model request with none or two sources, and a log that cannot be read", async () => {
    const none = await app.inject({ method: "POST", url: "/api/mining/models", headers, payload: {} });
    expect(none.statusCode).toBe(400);
    const bad = await app.inject({
      method: "POST",
      url: "/api/mining/models",
      headers,
      payload: { event_log: { format: "csv", text: "case,activity\n1,\n" } },
    });
    expect(bad.statusCode).toBe(400);
    const problem = bad.json<{ detail: string; errors: { pointer: string }[] }>();
    expect(problem.errors[0]?.pointer).toBe("/event_log/text");
    expect(problem.detail).not.toMatch(/tmp|opsdojo-model/);
    const model = await app.inject({
      method: "POST",
      url: "/api/mining/models",
      headers,
      payload: { model: { format: "something/else" } },
    });
    expect(model.statusCode).toBe(400);
  });

  it("draws a timed log's model with durations on its arcs, as ?arcs= asks, and checks given arc times", async () => {
    // receive → check: 1 and 3 minutes; check → ship: 2 minutes each.
    const text = [
      "case,activity,timestamp",
      "1,receive,2026-01-05T10:00:00Z",
      "1,check,2026-01-05T10:01:00Z",
      "1,ship,2026-01-05T10:03:00Z",
      "2,receive,2026-01-05T11:00:00Z",
      "2,check,2026-01-05T11:03:00Z",
      "2,ship,2026-01-05T11:05:00Z",
      "",
    ].join("\n");
    const created = await app.inject({
      method: "POST",
      url: "/api/mining/models",
      headers,
      payload: { name: "timed", event_log: { format: "csv", text } },
    });
    expect(created.statusCode).toBe(201);
    const model = created.json<{
      id: string;
      model: { arc_durations?: unknown[]; net: { arcs: unknown[] } };
    }>();
    expect(model.model.arc_durations).toHaveLength(model.model.net.arcs.length);
    expect(model.model.arc_durations).toContainEqual({
      count: 2,
      medianMs: 120_000,
      p90Ms: 180_000,
      meanMs: 120_000,
    });

    const svg = (q = "") =>
      app.inject({ method: "GET", url: `/api/mining/models/${model.id}/svg${q}`, headers });
    const both = await svg();
    expect(both.statusCode).toBe(200);
    expect(both.body).toContain(">2× · 2 min</text>");
    expect(both.body).toContain("<title>median 2 min, P90 3 min, mean 2 min over 2 timed pairs</title>");
    const frequency = await svg("?arcs=frequency");
    expect(frequency.body).not.toContain("2 min");
    expect(frequency.headers.etag).not.toBe(both.headers.etag);
    expect((await svg("?arcs=duration")).body).toContain(">2 min</text>");
    const dot = await app.inject({
      method: "GET",
      url: `/api/mining/models/${model.id}/dot?arcs=duration`,
      headers,
    });
    expect(dot.body).toContain('label="2 min"');
    const bogus = await svg("?arcs=time");
    expect(bogus.statusCode).toBe(400);
    expect(bogus.body).toContain("arcs");

    // A given document's arc times are checked like the rest of it.
    const doc = { ...model.model, arc_durations: [{ count: "two" }] };
    const refused = await app.inject({
      method: "POST",
      url: "/api/mining/models",
      headers,
      payload: { name: "bad times", model: doc },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json<{ errors: { pointer: string }[] }>().errors[0]?.pointer).toBe("/model/arc_durations");
  });

  it("stores a model of an untimed log without arc times and draws it with frequencies only", async () => {
    const created = await app.inject({
      method: "POST",
      url: "/api/mining/models",
      headers,
      payload: { name: "untimed", event_log: { format: "csv", text: "case,activity\n1,a\n1,b\n2,a\n2,b\n" } },
    });
    expect(created.statusCode).toBe(201);
    const model = created.json<{ id: string; model: Record<string, unknown> }>();
    expect(model.model).not.toHaveProperty("arc_durations");
    const svg = await app.inject({
      method: "GET",
      url: `/api/mining/models/${model.id}/svg?arcs=both`,
      headers,
    });
    expect(svg.statusCode).toBe(200);
    expect(svg.body).not.toContain("×");
    expect(svg.body).toContain("a (2)");
  });
});
