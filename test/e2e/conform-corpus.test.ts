import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ConformanceReport, type RuleId, runConformance } from "../../src/conformance/index.ts";
import { startExpressApi } from "../fixtures/conform-corpus/express-api.ts";
import { startFastifyApi } from "../fixtures/conform-corpus/fastify-api.ts";
import { startJsonServer } from "../fixtures/conform-corpus/json-server.ts";
import type { Target } from "../fixtures/conform-corpus/model.ts";
import { startPrismMock } from "../fixtures/conform-corpus/prism-mock.ts";
import { startStaticFiles } from "../fixtures/conform-corpus/static-files.ts";
import { type RecordingProxy, startRecordingProxy } from "../support/recording-proxy.ts";

/**
 * The suite measured against APIs it was not built with: each target is a third-party server
 * started in-process on loopback, behind a recording proxy that shows what it was really sent.
 * Each target runs twice — read-only, then with --allow-writes — and every verdict is compared
 * with the table below, decided by reading what each target does (docs/conformance.md, "The
 * corpus"). A verdict that changes is either a fix (update the table, say why in the commit) or
 * a false pass / false fail.
 */
const TARGETS = ["json-server", "fastify", "express", "prism", "static"] as const;
type TargetName = (typeof TARGETS)[number];

/** Per rule, per target in the order above: "<read-only> <with --allow-writes>", p/f/s. */
// biome-ignore format: a table
const EXPECTED: Record<RuleId, readonly [string, string, string, string, string]> = {
  //       json-server fastify   express   prism     static
  "CB-01": ["f f",     "f f",    "f f",    "p p",    "f f"], // no document; Fastify's is 3.0.3
  "CB-02": ["f f",     "f f",    "f f",    "f f",    "f f"], // no API-Version anywhere
  "CB-03": ["f f",     "f f",    "f f",    "f f",    "s s"], // static: no 200 to compare versions on
  "CB-04": ["f f",     "f f",    "f f",    "f f",    "s s"],
  "CB-05": ["f f",     "f f",    "f f",    "f f",    "f f"], // text, HTML, JSON errors; Prism's 422 has no type
  "CB-06": ["s f",     "s f",    "s f",    "s f",    "s s"], // invalid bodies are writes on these APIs
  "CB-07": ["s f",     "f f",    "f f",    "s p",    "s s"], // json-server: the parser's message on malformed JSON; Fastify FST_ERR codes; Express's error pages
  "CB-08": ["f f",     "f f",    "f f",    "s f",    "f f"], // Prism: 405 without Allow (PUT is a write)
  "CB-09": ["s s",     "s s",    "s s",    "s s",    "s s"], // nothing is protected
  "CB-10": ["s s",     "p p",    "s s",    "p p",    "s s"],
  "CB-11": ["s s",     "p p",    "s s",    "p p",    "s s"],
  "CB-12": ["f f",     "f f",    "f f",    "p p",    "s s"], // no etag; Prism's examples have one
  "CB-13": ["f f",     "f f",    "p p",    "f f",    "s s"], // bare array; a limit above the maximum refused
  "CB-14": ["s s",     "f f",    "f f",    "s f",    "s s"], // no cursor: items never reached; a mock forgets
  "CB-15": ["s s",     "f f",    "f f",    "s f",    "s s"],
  "CB-16": ["f f",     "f f",    "f f",    "s f",    "s s"], // no filter support
  "CB-17": ["f f",     "f f",    "f f",    "f f",    "s s"], // no ETag, or Express's weak one
  "CB-18": ["s s",     "s s",    "s s",    "s s",    "s s"], // no update operation known
  "CB-19": ["s f",     "s f",    "s f",    "s f",    "s s"], // no Location, or a relative one
  "CB-20": ["s f",     "s f",    "s f",    "s f",    "s s"], // no Idempotency-Key support
  "CB-21": ["f f",     "f f",    "p p",    "f f",    "f f"], // express-rate-limit's draft-8 headers pass
  "CB-22": ["f f",     "f f",    "f f",    "f f",    "f f"], // no limit, or a 429 that is not a problem
  "CB-23": ["s s",     "p p",    "s s",    "p p",    "s s"],
  "CB-24": ["s s",     "s s",    "s s",    "s s",    "s s"],
  "CB-25": ["f f",     "f f",    "f f",    "f f",    "f f"], // no X-Request-Id
  "CB-26": ["s f",     "s p",    "s p",    "s f",    "s s"], // json-server answers DELETE 200; a mock forgets nothing
  "CB-27": ["s s",     "s f",    "s f",    "s f",    "s s"], // no validate_only
  "CB-28": ["f f",     "f f",    "f f",    "f f",    "f f"], // no /health
  "CB-29": ["s s",     "s s",    "s s",    "s s",    "s s"], // one node
  "CB-30": ["s s",     "f f",    "s s",    "f f",    "s s"], // undocumented 404/400/422
};

const START: Record<TargetName, () => Promise<Target>> = {
  "json-server": startJsonServer,
  fastify: startFastifyApi,
  express: startExpressApi,
  prism: startPrismMock,
  static: startStaticFiles,
};

const TOKEN = "corpus-secret-token";

/** Prism serves no document: it is read from another loopback host, which records what it gets. */
let specHost: Server;
let specUrl: string;
const specSeen: Array<{ method: string; url: string; authorization?: string }> = [];

beforeAll(async () => {
  const document = await readFile(
    join(import.meta.dirname, "../fixtures/conform-corpus/prism-document.json"),
  );
  specHost = createServer((req, res) => {
    specSeen.push({
      method: req.method ?? "GET",
      url: req.url ?? "/",
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    });
    res.writeHead(200, { "content-type": "application/json" });
    res.end(document);
  });
  await new Promise<void>((resolve) => specHost.listen(0, "127.0.0.1", resolve));
  specUrl = `http://127.0.0.1:${(specHost.address() as { port: number }).port}/pets.json`;
});

afterAll(async () => {
  specHost.closeAllConnections();
  await new Promise((resolve) => specHost.close(resolve));
});

function profileFor(name: TargetName, allowWrites: boolean): Record<string, unknown> {
  const own: Record<TargetName, Record<string, unknown>> = {
    "json-server": { collection: "/posts" },
    fastify: {},
    express: { collection: "/api/notes", create_body: { text: "a note from conform" } },
    prism: { spec_url: specUrl },
    static: {},
  };
  return {
    token: TOKEN,
    timeout_ms: 5000,
    fuzz: { requests: 40 },
    // Above the quota of the rate-limited targets (200), so a flood always meets it.
    rate_limit: { max_requests: 250, max_wait_seconds: 5 },
    ...own[name],
    ...(allowWrites ? { allow_writes: true } : {}),
  };
}

async function run(
  name: TargetName,
  allowWrites: boolean,
): Promise<{ report: ConformanceReport; proxy: RecordingProxy; before: string; after: string }> {
  const target = await START[name]();
  const proxy = await startRecordingProxy(target.url);
  try {
    const before = JSON.stringify(target.state());
    const report = await runConformance({
      baseUrl: proxy.url,
      profile: profileFor(name, allowWrites),
      seed: 5,
      // A bound for hangs, not the default 60 s: on a loaded machine the budget must not decide a verdict.
      budgetMs: 600_000,
    });
    return { report, proxy, before, after: JSON.stringify(target.state()) };
  } finally {
    await proxy.stop();
    await target.stop();
  }
}

/** Each rule's verdict as its first letter: p, f or s. */
function verdicts(report: ConformanceReport): Record<string, string> {
  return Object.fromEntries(report.results.map((r) => [r.rule, r.verdict[0] as string]));
}

describe.each(TARGETS.map((name, column) => ({ name, column })))(
  "conform against $name",
  ({ name, column }) => {
    const expected = (mode: 0 | 1) =>
      Object.fromEntries(
        Object.entries(EXPECTED).map(([rule, cells]) => [rule, cells[column]?.split(" ")[mode]]),
      );

    it("read-only: sends nothing that could write, and every verdict is the expected one", async () => {
      const { report, proxy, before, after } = await run(name, false);
      expect(proxy.writes()).toEqual([]);
      expect(after).toBe(before);
      expect(report.left_behind).toBeUndefined();
      expect(verdicts(report)).toEqual(expected(0));
      // Nothing passed or failed without saying why, and every failure names its fix and page.
      for (const r of report.results) {
        expect(r.reason.length).toBeGreaterThan(0);
        expect(r.link).toBe(`docs/conformance-rules.md#${r.rule.toLowerCase()}`);
        if (r.verdict === "fail") expect(r.hint?.length).toBeGreaterThan(0);
      }
    });

    it("with --allow-writes: every verdict is the expected one, and nothing is left behind", async () => {
      const { report, proxy, before, after } = await run(name, true);
      expect(after).toBe(before);
      expect(report.left_behind).toBeUndefined();
      expect(verdicts(report)).toEqual(expected(1));
      // Writes reached the target only where there is something to write to.
      if (name === "static") expect(proxy.writes()).toEqual([]);
    });
  },
);

describe("what the corpus shows", () => {
  it("finds the parser's error json-server sends for malformed JSON, and Express's stack trace and error pages", async () => {
    const json = (await run("json-server", true)).report.results.find((r) => r.rule === "CB-07");
    expect(json?.problems?.map((p) => p.reason)).toContainEqual(
      'POST /posts (500) shows an exception name ("Unexpected end of JSON input")',
    );
    const express = (await run("express", true)).report.results.find((r) => r.rule === "CB-07");
    const reasons = express?.problems?.map((p) => p.reason) ?? [];
    // body-parser's trace, with the path to node_modules, in the default error page.
    expect(reasons).toContainEqual(
      expect.stringMatching(/^POST \/api\/notes \(400\) shows a stack frame \("at parse \(\//),
    );
    expect(reasons).toContainEqual(
      expect.stringMatching(/^GET \/health \(404\) shows Express's default error page/),
    );
  });

  it("cites the invalid required: [] in Fastify's generated document by its JSON pointer", async () => {
    const cb01 = (await run("fastify", false)).report.results.find((r) => r.rule === "CB-01");
    expect(cb01?.problems).toContainEqual(
      expect.objectContaining({
        pointer: "/paths/~1widgets~1{id}/get/responses/404/content/application~1json/schema/required",
        reason: expect.stringContaining("required: [] is not valid in OpenAPI 3.0"),
      }),
    );
  });

  it("reads Prism's document from its own host, only with GET and never with the token", async () => {
    specSeen.length = 0;
    const { proxy } = await run("prism", false);
    expect(specSeen.length).toBeGreaterThan(0);
    expect(specSeen.every((s) => s.method === "GET" && s.url === "/pets.json" && !s.authorization)).toBe(
      true,
    );
    expect(proxy.seen.every((s) => s.url !== "/pets.json")).toBe(true);
  });
});
