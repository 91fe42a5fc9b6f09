/**
 * Mining over HTTP, end to end: a real `opsdojo serve` process mines a Loghub sample streamed
 * as text, discovers a model from an uploaded event log, renders it, and reports the deviations
 * of a job's cases from it — page by page and live over SSE, resumable with Last-Event-ID.
 */
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Started, startServe } from "../support/opsdojo-process.ts";
import { sharedData } from "../support/shared-data.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON bodies, asserted field by field
type Json = any;

/** The shared data sets, read where they are (never copied into the repository). */
const SHARED = `${sharedData()}/`;
const OPENSSH = `${SHARED}loghub-2k/OpenSSH/OpenSSH_2k.log`;
const RUNNING_EXAMPLE = `${SHARED}eventlogs/running-example.csv`;

let server: Started;

beforeAll(async () => {
  server = await startServe(await tempDir(), ["--services", "mining"]);
});
afterAll(async () => {
  await server?.stop();
  await removeTempDirs();
});

async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const text = typeof body === "string";
  const response = await fetch(`${server.info.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${server.info.token}`,
      ...(body === undefined ? {} : { "content-type": text ? "text/plain" : "application/json" }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: text ? body : JSON.stringify(body) }),
  });
  const raw = await response.text();
  const json = /json/.test(response.headers.get("content-type") ?? "") && raw ? JSON.parse(raw) : null;
  return { status: response.status, headers: response.headers, body: json as Json, text: raw };
}

/** Server-sent events of a stream, read until `enough` says so; then the stream is closed. */
async function readEvents(
  path: string,
  headers: Record<string, string>,
  enough: (events: Json[]) => boolean,
  whileOpen: () => Promise<void> = async () => {},
): Promise<{ ids: number[]; events: Json[]; headers: Headers }> {
  const abort = new AbortController();
  const response = await fetch(`${server.info.url}${path}`, {
    headers: { authorization: `Bearer ${server.info.token}`, accept: "text/event-stream", ...headers },
    signal: abort.signal,
  });
  expect(response.status).toBe(200);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const ids: number[] = [];
  const events: Json[] = [];
  let buffer = "";
  await whileOpen();
  try {
    while (!enough(events)) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end = buffer.indexOf("\n\n");
      while (end >= 0) {
        const message = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const id = /^id: (\d+)$/m.exec(message)?.[1];
        const data = /^data: (.*)$/m.exec(message)?.[1];
        if (id !== undefined && data !== undefined) {
          ids.push(Number(id));
          events.push(JSON.parse(data));
        }
        end = buffer.indexOf("\n\n");
      }
    }
  } finally {
    abort.abort();
    await reader.cancel().catch(() => {});
  }
  return { ids, events, headers: response.headers };
}

/** The running example's events as log lines: `<time> <case> <activity>`. */
async function runningExampleLines(): Promise<string[]> {
  const [header, ...rows] = (await readFile(RUNNING_EXAMPLE, "utf8")).trim().split("\n");
  const columns = (header as string).split(",");
  const at = (name: string) => columns.indexOf(name);
  return rows.map((row) => {
    const f = row.split(",");
    const time = (f[at("time:timestamp")] as string).replace(" ", "T");
    return `${time} case-${f[at("case:concept:name")]} ${f[at("concept:name")]}`;
  });
}

describe("mining API over HTTP", { timeout: 300_000 }, () => {
  it("streams a Loghub sample through the template miner and serves its templates", async () => {
    const created = await api("POST", "/api/mining/jobs", {
      name: "openssh",
      log_format: "<Date> <Day> <Time> <Component> sshd\\[<Pid>\\]: <Content>",
      case_field: "Pid",
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.headers.get("location")).toBe(`${server.info.url}/api/mining/jobs/${id}`);

    const uploaded = await api("POST", `/api/mining/jobs/${id}/lines`, await readFile(OPENSSH, "utf8"));
    expect(uploaded.status).toBe(200);
    expect(uploaded.body).toMatchObject({
      lines: 2000,
      messages: 2000,
      unmatched: 0,
      events: 2000,
      cases: 519,
    });

    const job = await api("GET", `/api/mining/jobs/${id}`);
    expect(job.body).toEqual(uploaded.body);
    expect(job.headers.get("etag")).toBe(`"${job.body.etag}"`);

    const top = await api("GET", `/api/mining/jobs/${id}/templates?sort=-count&limit=3`);
    expect(top.body.items.map((t: Json) => [t.template, t.count])).toEqual([
      ["Received disconnect from <*>: <*>: Bye Bye [preauth]", 413],
      [
        "pam_unix(sshd:auth): authentication failure; logname= uid=<*> euid=<*> tty=ssh ruser= rhost=<*> user=<*>",
        384,
      ],
      ["Failed password for <*> from <*> port <*> ssh2", 383],
    ]);
    expect(top.body.next_cursor).toEqual(expect.any(String));
    for (const t of top.body.items) expect(t.examples.length).toBeGreaterThan(0);

    const jobs = await api("GET", "/api/mining/jobs");
    expect(jobs.body.items.map((j: Json) => j.id)).toContain(id);
  });

  it("discovers a model from an uploaded event log and serves it as JSON, SVG and PNML", async () => {
    const created = await api("POST", "/api/mining/models", {
      name: "running example",
      event_log: { format: "csv", text: await readFile(RUNNING_EXAMPLE, "utf8") },
      algorithm: "inductive",
    });
    expect(created.status).toBe(201);
    const model = created.body;
    expect(model).toMatchObject({
      name: "running example",
      algorithm: "inductive",
      source: "csv",
      cases: 6,
      events: 42,
    });
    expect(model.activities).toHaveLength(8);
    expect(model.model.format).toBe("opsdojo-process-model/v1");
    expect((await api("GET", `/api/mining/models/${model.id}`)).body).toEqual(model);

    const svg = await api("GET", `/api/mining/models/${model.id}/svg`);
    expect(svg.status).toBe(200);
    expect(svg.headers.get("content-type")).toMatch(/^image\/svg\+xml/);
    expect(svg.text).toContain("<svg");
    expect(svg.text).toContain("register request");
    const pnml = await api("GET", `/api/mining/models/${model.id}/pnml`);
    expect(pnml.headers.get("content-type")).toMatch(/^application\/xml/);
    expect(pnml.text).toContain("<pnml");
    expect(
      (
        await api("GET", `/api/mining/models/${model.id}/pnml`, undefined, {
          "if-none-match": pnml.headers.get("etag") as string,
        })
      ).status,
    ).toBe(304);
    const bpmn = await api("GET", `/api/mining/models/${model.id}/bpmn`);
    expect(bpmn.status).toBe(200);
    expect(bpmn.headers.get("content-type")).toMatch(/^application\/xml/);
    expect(bpmn.text).toContain('<bpmn:task id="Task_');
    expect(bpmn.text).toContain('name="register request"');

    const listed = await api("GET", "/api/mining/models?filter=source%20%3D%20%22csv%22");
    expect(listed.body.items.map((m: Json) => m.id)).toEqual([model.id]);
  });

  it("reports the deviations of an injected case, page by page and live over SSE", async () => {
    const model = (
      await api("POST", "/api/mining/models", {
        event_log: { format: "csv", text: await readFile(RUNNING_EXAMPLE, "utf8") },
      })
    ).body;
    const job = (
      await api("POST", "/api/mining/jobs", {
        name: "claims",
        log_format: "<Time> <Case> <Content>",
        case_field: "Case",
      })
    ).body;
    const lines = await runningExampleLines();
    const path = `/api/mining/jobs/${job.id}/deviations?model=${model.id}`;

    // The cases the model was discovered from fit it: no deviation at all.
    expect((await api("POST", `/api/mining/jobs/${job.id}/lines`, `${lines.join("\n")}\n`)).body.events).toBe(
      42,
    );
    expect((await api("GET", path)).body).toEqual({ items: [] });

    // A live stream is open while a deviating case arrives: it decides without checking, then
    // does something the model does not know.
    const injected = [
      "2011-01-10T09:00:00+01:00 case-99 register request",
      "2011-01-10T10:00:00+01:00 case-99 decide",
      "2011-01-10T11:00:00+01:00 case-99 call the customer",
    ];
    const live = await readEvents(
      path,
      {},
      (events) => events.length >= 2,
      async () => {
        const sent = await api("POST", `/api/mining/jobs/${job.id}/lines`, { lines: injected });
        expect(sent.status).toBe(200);
      },
    );
    expect(live.headers.get("content-type")).toMatch(/^text\/event-stream/);
    // A stream is a response like any other: the core's headers come with it.
    expect(live.headers.get("api-version")).toBe("1.0.0");
    expect(live.headers.get("ratelimit")).toMatch(/^"default";r=\d+;t=\d+$/);
    expect(live.ids).toEqual([1, 2]);
    expect(live.events.map((d: Json) => [d.case_id, d.activity, d.kind, d.line, d.position])).toEqual([
      ["case-99", "decide", "missing", 44, 2],
      ["case-99", "call the customer", "unexpected", 45, 3],
    ]);
    // Deciding proves that checking the ticket and one of the examinations were skipped.
    const skipped = [...live.events[0].expected].sort();
    expect(skipped).toHaveLength(2);
    expect(skipped[0]).toBe("check ticket");
    expect(skipped[1]).toMatch(/^examine (casually|thoroughly)$/);

    // The same deviations page by page…
    const first = await api("GET", `${path}&limit=1`);
    expect(first.body.items.map((d: Json) => d.seq)).toEqual([1]);
    const second = await api("GET", `${path}&limit=1&cursor=${encodeURIComponent(first.body.next_cursor)}`);
    expect(second.body.items.map((d: Json) => d.seq)).toEqual([2]);
    expect(second.body.next_cursor).toBeUndefined();
    expect([...first.body.items, ...second.body.items]).toEqual(live.events);

    // …and a reconnecting stream continues after Last-Event-ID.
    const resumed = await readEvents(path, { "last-event-id": "1" }, (events) => events.length >= 1);
    expect(resumed.ids).toEqual([2]);

    const unknown = await api("GET", `/api/mining/jobs/${job.id}/deviations?model=mdl_none`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0]).toMatchObject({ pointer: "/model", in: "query" });
  });
});
