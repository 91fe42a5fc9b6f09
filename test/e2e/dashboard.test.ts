/**
 * The dashboard in a real Chromium against a real server on 127.0.0.1 with real data: a run that
 * failed (with its diagnosis), a game-day session whose timeline grows while the page is open,
 * a discovered process model — and API strings with markup in them, shown as text.
 */
import type { Browser, Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CursorCodec } from "../../src/api/index.ts";
import { randomSecret, systemClock } from "../../src/core/index.ts";
import { Directory } from "../../src/directory/index.ts";
import { SessionRepository } from "../../src/gamedays/session/index.ts";
import { appendEntry } from "../../src/gamedays/timeline/index.ts";
import { Journal, registerOperation } from "../../src/operations/index.ts";
import { type RunningServer, serve } from "../../src/server/index.ts";
import { openStore, type Store } from "../../src/store/index.ts";
import { launchChromium, loopbackPage } from "../support/browser.ts";
import { freePort } from "../support/ports.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";
import { until } from "../support/until.ts";

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON bodies, asserted field by field
type Json = any;

/** Markup in API strings: it must be shown as these very characters and never run. */
const HOSTILE = `<script>window.__pwned = "script"</script><img src="/x" onerror="window.__pwned = 'img'">`;

let store: Store;
let server: RunningServer;
let browser: Browser;
let page: Page;
let errors: string[];
let keys = 0;
let run: Json;
let sessionId: string;
let model: Json;

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${server.login.token}`,
      ...(body === undefined ? {} : { "content-type": "application/json", "idempotency-key": `k-${++keys}` }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** A run of an operation whose post-check calls a port nobody listens on: it fails and is diagnosed. */
async function failedRun(dir: string): Promise<Json> {
  const port = await freePort();
  const source = `opsdojo: operation/v1
name: roll-config
targets:
  - { name: app-1, vars: { dir: "${dir}" } }
steps:
  - name: write-config
    uses: file.write
    with: { path: "\${target.dir}/app.conf", content: "release=2\\n" }
  - name: verify
    uses: noop
    post:
      - http: { url: "http://127.0.0.1:${port}/health", status: 200 }
`;
  expect((await api("POST", "/api/operations", { source })).status).toBe(201);
  const queued = await api("POST", "/api/runs", { operation: "roll-config" });
  expect(queued.status, JSON.stringify(queued.body)).toBe(201);
  return until(async () => {
    const current = await api("GET", `/api/runs/${queued.body.id}`);
    return current.body.diagnosis ? current.body : undefined;
  }, `run ${queued.body.id} to be diagnosed`);
}

/** The text the session played: its injects and hint are the GM's to see, pending all three. */
const PLAYED_SCENARIO = `opsdojo: scenario/v1
name: silent-disk
timebox: 45m
brief: Checkout fails.
faults:
  - name: empty-config
    at: 0s
    steps:
      - { name: empty, uses: file.write, with: { path: /tmp/opsdojo-e2e-dashboard/app.conf, content: "" } }
injects:
  - name: angry-customer
    at: 20m
    from: support
    text: A customer says checkout has failed for an hour.
  - at: 30m
    text: The CEO asks for an update.
hints:
  - after: 25m
    text: Look at the config file.
objectives:
  - name: healthy
    http: { url: "http://127.0.0.1:9/health", status: 200 }
`;

/** A running session as `gameday start` leaves it, with a hostile title and three entries. */
async function playedSession(): Promise<string> {
  const repo = new SessionRepository(store, systemClock);
  const id = await repo.create({
    scenario: "silent-disk",
    title: `The Silent Disk ${HOSTILE}`,
    file: "silent-disk.yaml",
    source: PLAYED_SCENARIO,
    gm: "alice",
    players: [{ name: "bob", role: "primary" }],
    owner: "host:1",
    leaseMs: 600_000,
    faults: [{ name: "empty-config", operationId: "op_x", params: {} }],
  });
  const injected = systemClock.now().toISOString();
  await repo.setFault(id, 0, { run_id: "run_x", status: "injected", injected_at: injected });
  await repo.noteInjection(id, injected);
  await appendEntry(store.db, systemClock, id, {
    kind: "session.started",
    source: "auto",
    text: "Checkout fails.",
  });
  await appendEntry(store.db, systemClock, id, {
    kind: "fault.injected",
    source: "auto",
    text: "empty-config",
    data: { fault: "empty-config", run_id: "run_x" },
  });
  await appendEntry(store.db, systemClock, id, { kind: "note", source: "human", by: "bob", text: HOSTILE });
  return id;
}

const EVENT_LOG = [
  "case,activity,timestamp",
  ...[1, 2, 3].flatMap((c) =>
    ["open ticket", "triage", c === 2 ? "escalate" : "fix", "close ticket"].map(
      (a, i) => `c${c},${a},2026-03-0${c}T10:0${i}:00Z`,
    ),
  ),
].join("\n");

beforeAll(async () => {
  browser = await launchChromium();
  store = await openStore({ home: await tempDir() });
  server = await serve({
    store,
    host: "127.0.0.1",
    port: 0,
    logger: false,
    rateLimit: { quota: 100_000, windowSeconds: 60 },
  });
  run = await failedRun(await tempDir());
  sessionId = await playedSession();
  const created = await api("POST", "/api/mining/models", {
    name: "tickets",
    event_log: { format: "csv", text: EVENT_LOG },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  model = created.body;
  ({ page, errors } = await loopbackPage(browser));
  await page.emulateMediaFeatures([{ name: "prefers-reduced-motion", value: "reduce" }]);
  await page.goto(`${server.url}/#token=${server.login.token}`);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await store?.close();
  await removeTempDirs();
});

/** Follow a link the way a user does: change the hash route, then wait for what the view draws. */
async function open(hash: string, selector: string): Promise<void> {
  await page.evaluate((h) => {
    location.hash = h;
  }, hash);
  await page.waitForSelector(selector, { timeout: 60_000 });
}

/** What a user sees of an element: its rendered text, hidden parts left out. */
const textOf = (selector: string) =>
  // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what the test is about
  page.$eval(selector, (element) => (element as HTMLElement).innerText.trim());

describe("the dashboard in Chromium", () => {
  it("serves the shell and its modules with their types and caching", async () => {
    const shell = await fetch(`${server.url}/`);
    expect(shell.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(shell.headers.get("cache-control")).toBe("no-store");
    expect(shell.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(shell.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(shell.headers.get("x-content-type-options")).toBe("nosniff");
    expect(shell.headers.get("referrer-policy")).toBe("no-referrer");
    const html = await shell.text();
    const main = /src="(\/dashboard\/[0-9a-f]{12}\/main\.js)"/.exec(html)?.[1];
    const css = /href="(\/dashboard\/[0-9a-f]{12}\/style\.css)"/.exec(html)?.[1];
    expect(main).toBeDefined();
    expect(css).toBeDefined();
    const js = await fetch(`${server.url}${main}`);
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(js.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect((await fetch(`${server.url}${css}`)).headers.get("content-type")).toBe("text/css; charset=utf-8");
  });

  it("takes the token out of the address and shows the service directory", async () => {
    await page.waitForSelector("main tbody tr td", { timeout: 60_000 });
    expect(page.url()).not.toContain(server.login.token);
    expect(page.url()).toBe(`${server.url}/#/`);
    const services = (await api("GET", "/api/services?limit=500&sort=name")).body.items as Json[];
    expect(services.length).toBeGreaterThan(0);
    expect(await textOf("main tbody")).toContain(services[0].name);
  });

  it("shows a service's page: owner, instances with the failing one on top, conformance, runs on it", async () => {
    const created = await api("POST", "/api/services", {
      name: "app-1",
      owner: "team-checkout",
      description: "takes the orders",
      instances: [{ base_url: server.url }, { base_url: "http://127.0.0.1:1" }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    // The last health poll as the poller writes it: the page must put the failing one first.
    for (const [url, state] of [
      [server.url, "pass"],
      ["http://127.0.0.1:1", "fail"],
    ] as const)
      await store.db
        .insertInto("service_instance_health")
        .values({
          service_id: created.body.id,
          base_url: url,
          status: state,
          checked_at: new Date().toISOString(),
          detail: state === "fail" ? "connection refused" : "HTTP 200",
        })
        .onConflict((oc) => oc.columns(["service_id", "base_url"]).doUpdateSet({ status: state }))
        .execute();
    await open("#/", `main tr[data-id="${created.body.id}"] a`);
    await page.click(`main tr[data-id="${created.body.id}"] a`);
    await page.waitForSelector("#instances tbody tr", { timeout: 60_000 });
    expect(await textOf("#service")).toContain("app-1");
    expect(await textOf(".facts")).toContain("team-checkout");
    const rows = await page.$$eval("#instances tbody tr", (trs) =>
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what the test is about
      trs.map((tr) => (tr as HTMLElement).innerText),
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^(fail|unknown)\s+http:\/\/127\.0\.0\.1:1\b/);
    expect(await textOf("#conformance")).toContain("Not checked yet");
    // The failed run's target is named app-1: it is a run on this service.
    expect(await textOf("#service-runs tbody")).toContain("roll-config");
    expect(await textOf("#service-runs td.by")).toBe("admin (first start)");
  });

  it("draws an instance's last 24 h as a strip and lists its health changes", async () => {
    // The server's own URL as the instance: should the running poller reach it during the test,
    // it sees pass, which the seeded history ends with, and writes no transition of its own.
    const created = await api("POST", "/api/services", {
      name: "ledger-2",
      owner: "team-ledger",
      instances: [{ base_url: server.url }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const directory = new Directory({
      store,
      clock: systemClock,
      cursors: new CursorCodec(randomSecret(32)),
    });
    const hour = 60 * 60_000;
    const now = Date.now();
    for (const [ago, state, detail] of [
      [3, "pass", null],
      [2, "fail", "HTTP 503"],
      [1, "pass", null],
    ] as const)
      await directory.recordHealth(created.body.id, {
        base_url: server.url,
        status: state,
        detail,
        checked_at: new Date(now - ago * hour).toISOString(),
      });
    directory.close();
    await open(`#/services/${created.body.id}`, "#health-history tbody tr.transition");
    const strip = await page.$$eval("#instances .strip rect", (rects) =>
      rects.map((r) => ({
        status: r.getAttribute("data-status"),
        width: Number(r.getAttribute("width")),
        title: r.querySelector("title")?.textContent ?? "",
      })),
    );
    // Unknown before the first poll (21 h of 24), then pass, fail, pass for an hour each.
    expect(strip.map((r) => r.status)).toEqual(["unknown", "pass", "fail", "pass"]);
    expect(strip[0]?.width).toBeCloseTo(875, -1);
    expect(strip[2]?.width).toBeCloseTo(41.7, 0);
    expect(strip[2]?.title).toMatch(
      /^fail from \d{4}-\d\d-\d\d \d\d:\d\d:\d\d to .* UTC[+-]\d\d:\d\d — HTTP 503$/,
    );
    const fills = await page.$$eval("#instances .strip rect", (rects) =>
      rects.map((r) => getComputedStyle(r).fill),
    );
    expect(new Set(fills).size).toBe(3);
    const rows = await page.$$eval("#health-history tbody tr", (trs) =>
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what the test is about
      trs.map((tr) => (tr as HTMLElement).innerText.replace(/\s+/g, " ").trim()),
    );
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d /);
    expect(rows[0]).toContain(`${server.url} fail → pass`);
    expect(rows[1]).toContain("pass → fail HTTP 503");
    expect(rows[2]).toContain("unknown → pass");
  });

  it("lists the failed run with its status", async () => {
    await open("#/runs", `#runs tr[data-id="${run.id}"]`);
    expect(["failed", "rolled_back", "rollback_incomplete"]).toContain(run.status);
    const row = `#runs tr[data-id="${run.id}"]`;
    expect(await textOf(`${row} td:nth-child(2)`)).toBe("roll-config");
    expect(await textOf(`${row} td.id`)).toBe(run.id.slice(-8));
    // Where it failed, in words, and the row marked on its edge.
    expect(await textOf(`${row} td.failing`)).toBe(`verify on app-1 (${run.failure.phase})`);
    expect(await page.$eval(row, (e) => e.className)).toMatch(/^tone-(bad|warn)$/);
    // Who started it: the token it was queued with (the first start's admin token names no person).
    expect(run.started_by).toBe("admin (first start)");
    expect(await textOf(`${row} td.by`)).toBe("admin (first start)");
    // One time format: local, 24-hour, the offset and the UTC instant on hover.
    expect(await page.$eval(`${row} time`, (e) => e.getAttribute("title"))).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC[+-]\d\d:\d\d \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\)$/,
    );
    expect(await textOf(`${row} .status`)).toBe(run.status);
    // Not grey: a run rolled back after a failure is a warning, and says so in words.
    expect(await page.$eval(`${row} .status`, (e) => e.className)).toMatch(/\b(bad|warn)\b/);
    if (run.status === "rolled_back") expect(await textOf(`${row} .why`)).toBe("failed, every change undone");
  });

  it("shows a run whose node died and that waits for a person as held, in words", async () => {
    const op = await registerOperation(
      store,
      systemClock,
      "opsdojo: operation/v1\nname: held-by-loss\nsteps:\n  - { name: wait, uses: noop }\n",
      "held.yaml",
    );
    // A node on another host started it and died: its lease is over. This server's executor
    // notices at its next poll and holds it (on_node_loss: hold, the default).
    const journal = new Journal(store, systemClock);
    const id = await journal.startRun({
      operationId: op.id,
      operationName: op.name,
      params: {},
      owner: "far-host:4242/0badf00d",
      leaseMs: 1,
    });
    await until(
      async () => (await journal.events(id)).some((e) => e.type === "run.held"),
      "the run to be held",
    );
    const row = `#runs tr[data-id="${id}"]`;
    await open("#/runs", row);
    expect(await textOf(`${row} .status`)).toBe("interrupted");
    expect(await textOf(`${row} .why`)).toBe("held: resume or undo it");
    expect(await page.$eval(`${row} .status`, (e) => e.className)).toMatch(/\bwarn\b/);
    // Started without saying who (as runs from before migration 012): a dash, not a guess.
    expect(await textOf(`${row} td.by`)).toBe("—");
  });

  it("filters runs by status and operation, from the form into the address", async () => {
    await open("#/runs?status=succeeded", "#runs td.empty");
    expect(await textOf("#runs tbody")).toBe("No runs match the filter.");
    await page.select("#run-filters select", run.status);
    await page.$eval("#run-filters input", (e) => {
      (e as HTMLInputElement).value = "roll-config";
    });
    await page.click("#run-filters button");
    await page.waitForSelector(`#runs tr[data-id="${run.id}"]`, { timeout: 60_000 });
    expect(await page.evaluate(() => location.hash)).toBe(
      `#/runs?status=${run.status}&operation=roll-config`,
    );
    await open("#/runs", `#runs tr[data-id="${run.id}"]`);
  });

  it("filters runs by who started them, from the column's link", async () => {
    await open("#/runs?by=nobody-here", "#runs td.empty");
    expect(await textOf("#runs tbody")).toBe("No runs match the filter.");
    await open("#/runs", `#runs tr[data-id="${run.id}"]`);
    await page.click(`#runs tr[data-id="${run.id}"] td.by a`);
    await page.waitForFunction(() => location.hash.startsWith("#/runs?by="), { timeout: 60_000 });
    await page.waitForSelector(`#runs tr[data-id="${run.id}"]`, { timeout: 60_000 });
    // Only the admin token's runs: the held run nobody is recorded for is not among them.
    const by = await page.$$eval("#runs td.by", (cells) => cells.map((c) => c.textContent));
    expect(by.length).toBeGreaterThan(0);
    expect(new Set(by)).toEqual(new Set(["admin (first start)"]));
    await open("#/runs", `#runs tr[data-id="${run.id}"]`);
  });

  it("shows one run: its diagnosis with the first cause, expected against observed, targets and events", async () => {
    await page.click(`#runs tr[data-id="${run.id}"] a`);
    await page.waitForSelector("#diagnosis .cause .title", { timeout: 60_000 });
    const first = run.diagnosis.causes[0];
    expect(await textOf("#diagnosis .causes > li:first-child .title")).toContain(first.title);
    expect(await textOf("#diagnosis .causes > li:first-child .recovery")).toContain(first.recovery.action);
    expect(await textOf("#diagnosis .observed")).toBe(run.diagnosis.failure.check.observed);
    expect(await textOf("#diagnosis .expected")).toBe(run.diagnosis.failure.check.expected);
    expect(await textOf("#started-by")).toBe("admin (first start)");
    expect(await textOf("#targets tbody")).toContain("app-1");
    const events = (await api("GET", `/api/runs/${run.id}/events?limit=500`)).body.items as Json[];
    expect(await page.$$eval("#events tbody tr", (rows) => rows.length)).toBe(events.length);
    expect(await textOf("#events tbody")).toContain("check.failed");
    // In words, not JSON: the failed check says what it expected and what it saw.
    const events_ = await textOf("#events tbody");
    expect(events_).toContain("app-1: write-config started (file.write)");
    expect(events_).toContain(
      `app-1: post-check ${run.diagnosis.failure.check.name} of verify failed: expected ${run.diagnosis.failure.check.expected}, observed ${run.diagnosis.failure.check.observed}`,
    );
    expect(events_).not.toContain('{"');
    expect(events_).toMatch(
      /app-1: after write-config: file \S+app\.conf file, 10 bytes, sha256 [0-9a-f]{12}…/,
    );
    // What the run changed: the config write, and where it ended after the rollback.
    expect(await textOf("#changes tbody tr:first-child")).toMatch(
      /^app-1\s+write-config\s+file\.write\s+(undone|changed)\s+file \S+app\.conf$/,
    );
  });

  it("lists the planned game days above the sessions, the note escaped", async () => {
    const planned = await api("POST", "/api/gameday-plans", {
      scenario: "silent-disk",
      at: new Date(Date.now() + 2 * 86_400_000).toISOString(),
      note: `room 2 ${HOSTILE}`,
    });
    expect(planned.status, JSON.stringify(planned.body)).toBe(201);
    await open("#/sessions", `#plans tr[data-id="${planned.body.id}"]`);
    const row = await textOf(`#plans tr[data-id="${planned.body.id}"]`);
    expect(row).toMatch(/in 2 days\s+silent-disk/);
    expect(row).toContain(`room 2 ${HOSTILE}`);
  });

  it("shows a session and its timeline, and a new entry arrives live without a reload", async () => {
    await open("#/sessions", `#sessions tr[data-id="${sessionId}"]`);
    expect(await textOf(`#sessions tr[data-id="${sessionId}"] .status`)).toBe("running");
    await page.click(`#sessions tr[data-id="${sessionId}"] a`);
    await page.waitForSelector('#timeline li[data-seq="3"]', { timeout: 60_000 });
    expect(await textOf("#session .headline .status")).toBe("running");
    expect(await textOf("#session .facts")).toContain("alice");
    expect(await textOf("#faults tbody")).toContain("empty-config");
    // The GM's clock: the session runs, so the time since its start shows (its scenario was
    // started from a file, not registered: no timebox to count down).
    await page.waitForSelector("#gm:not([hidden]) #elapsed", { timeout: 60_000 });
    expect(await textOf("#gm #elapsed")).toMatch(/^\d+ (s|min \d+ s)$/);
    // The page's token may run sessions: the GM sees what is still to come, soonest first.
    await page.waitForSelector("#gm ol.injects.upcoming li", { timeout: 60_000 });
    expect(
      await page.$$eval("#gm ol.injects.upcoming li", (items) => items.map((i) => i.getAttribute("data-id"))),
    ).toEqual(["angry-customer", "hint-1", "inject-2"]);
    const first = await textOf('#gm ol.injects.upcoming li[data-id="angry-customer"]');
    expect(first).toContain("from support:");
    expect(first).toContain("A customer says checkout has failed for an hour.");
    expect(first).toMatch(/in (19|20) min \d+ s/);
    expect(await textOf("#gm h4")).toContain("(3 of 3)");
    expect(await textOf('#timeline li[data-seq="2"]')).toContain("fault.injected");
    // Marks this document: a reload would lose it.
    await page.evaluate(() => {
      (window as unknown as { __sameDocument: boolean }).__sameDocument = true;
    });
    const posted = await api("POST", `/api/sessions/${sessionId}/timeline`, {
      kind: "hypothesis",
      text: "the config file is empty",
      by: "bob",
    });
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    await page.waitForSelector(`#timeline li[data-seq="${posted.body.seq}"]`, { timeout: 60_000 });
    expect(await textOf(`#timeline li[data-seq="${posted.body.seq}"]`)).toContain("the config file is empty");
    expect(
      await page.$$eval("#timeline li", (items) => items.map((i) => i.getAttribute("data-seq"))),
    ).toEqual(["1", "2", "3", String(posted.body.seq)]);
    expect(
      await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument),
    ).toBe(true);
  });

  it("moves only for those who have not asked for reduced motion", async () => {
    const animation = () =>
      page.$eval('#timeline li[data-seq="1"]', (item) => getComputedStyle(item).animationName);
    expect(await animation()).toBe("none");
    await page.emulateMediaFeatures([{ name: "prefers-reduced-motion", value: "no-preference" }]);
    try {
      expect(await animation()).toBe("arrive");
    } finally {
      await page.emulateMediaFeatures([{ name: "prefers-reduced-motion", value: "reduce" }]);
    }
  });

  it("shows markup from the API as text and never runs it", async () => {
    expect(await textOf('#timeline li[data-seq="3"] .text')).toBe(HOSTILE);
    expect(await textOf("#session .headline")).toContain(`The Silent Disk ${HOSTILE}`);
    expect(await page.$$eval("#view script, #view img", (found) => found.length)).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
  });

  it("shows the stored process model drawn as SVG", async () => {
    await open("#/models", "#drawing svg");
    expect(await textOf("#models tbody")).toContain("tickets");
    expect(await textOf("#drawing .model-name")).toBe(model.name);
    const labels = await page.$eval("#drawing svg", (svg) => svg.textContent ?? "");
    expect(labels).toContain("triage");
    expect(labels).toContain("escalate");
    // The log has timestamps a minute apart: the arcs carry frequency and duration.
    expect(labels).toContain("3× · 1 min");
    // Zoom and pan: the buttons and the wheel move the viewBox; "whole model" goes back.
    const zoom = () => page.$eval("#drawing .svg", (e) => Number((e as HTMLElement).dataset.zoom));
    const viewBox = () => page.$eval("#drawing svg", (e) => e.getAttribute("viewBox"));
    expect(await zoom()).toBe(1);
    const whole = await viewBox();
    await page.click('#drawing button[data-zoom="in"]');
    expect(await zoom()).toBeGreaterThan(1);
    const frame = await page.$("#drawing .svg");
    const box = await frame?.boundingBox();
    if (!box) throw new Error("the drawing has no box");
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 - 100, box.y + box.height / 2 - 50, { steps: 3 });
    await page.mouse.up();
    const panned = await viewBox();
    expect(panned).not.toBe(whole);
    await page.mouse.wheel({ deltaY: -200 });
    await page.waitForFunction(
      (before) => document.querySelector("#drawing svg")?.getAttribute("viewBox") !== before,
      { timeout: 60_000 },
      panned,
    );
    await page.click('#drawing button[data-zoom="reset"]');
    expect(await zoom()).toBe(1);
    expect(await viewBox()).toBe(whole);
  });

  it("shows a simulation: its chances, the time distribution, the bottleneck bars and the what-if front", async () => {
    const created = await api("POST", "/api/simulations", {
      operation: "roll-config",
      targets: 40,
      runs: 1000,
      what_if_runs: 200,
      history: 0,
      max_risk: 0.5,
      profile:
        "steps:\n  write-config: { duration: 2s, fail_rate: 0.01 }\n  verify: { duration: { min: 1s, max: 3s } }\n",
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await open(`#/simulations/${created.body.id}`, "#recommended");
    expect(await textOf("#title .status")).toBe("succeeded");
    expect(await textOf("#chances")).toContain("P(success)");
    expect(await page.$$eval("#bottlenecks tbody tr", (rows) => rows.length)).toBe(2);
    expect(await page.$$eval("#bottlenecks meter", (meters) => meters.length)).toBe(6);
    expect(await page.$$eval("#histogram svg rect", (bars) => bars.length)).toBeGreaterThan(1);
    expect(await textOf("#recommended")).toMatch(/^Recommended: batch_size \d+, max_failures \d+/);
    expect(await page.$$eval("#front tbody tr[aria-current]", (rows) => rows.length)).toBe(1);
  });

  it("parses server-sent events split anywhere: CRLF, comments, multi-line data, ids kept", async () => {
    const base = /\/dashboard\/[0-9a-f]{12}\//.exec(await (await fetch(`${server.url}/`)).text())?.[0];
    expect(base).toBeDefined();
    // A string, not a function: the test runner rewrites import() in functions it compiles.
    const stream =
      'retry: 500\r\n\r\n: keep-alive\n\nid: 7\nevent: note\ndata: {"a":\ndata: 1}\n\ndata:x\n\nid\ndata: y\n\n';
    const messages = await page.evaluate(`(async () => {
      const { messageParser } = await import(${JSON.stringify(`${server.url}${base}sse.js`)});
      const got = [];
      const parser = messageParser((m) => got.push(m));
      const stream = ${JSON.stringify(stream)};
      for (let at = 0; at < stream.length; at += 3) parser.push(stream.slice(at, at + 3));
      return { got, retry: parser.retry };
    })()`);
    expect(messages).toEqual({
      got: [
        { id: "7", event: "note", data: '{"a":\n1}' },
        { id: "7", event: "message", data: "x" },
        { id: "", event: "message", data: "y" },
      ],
      retry: 500,
    });
  });

  it("without a token says how to get one and calls no API", async () => {
    const context = await browser.createBrowserContext();
    try {
      const { page: fresh, errors: freshErrors } = await loopbackPage(context);
      const calls: string[] = [];
      fresh.on("request", (r) => {
        if (new URL(r.url()).pathname.startsWith("/api/")) calls.push(r.url());
      });
      await fresh.goto(`${server.url}/#/runs`);
      await fresh.waitForFunction(() => document.getElementById("msg")?.textContent !== "", {
        timeout: 60_000,
      });
      expect(await fresh.$eval("#msg", (e) => e.textContent)).toBe(
        "No token: open the link that opsdojo serve printed.",
      );
      expect(calls).toEqual([]);
      expect(freshErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("shows /docs styled under the same policy, with nothing blocked", async () => {
    const { page: docs, errors: docsErrors } = await loopbackPage(browser);
    try {
      const answer = await docs.goto(`${server.url}/docs`);
      expect(answer?.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
      // The inline stylesheet applied: allowed by its hash.
      expect(await docs.$eval("body", (b) => getComputedStyle(b).maxWidth)).not.toBe("none");
      expect(docsErrors).toEqual([]);
    } finally {
      await docs.close();
    }
  });

  it("had no page errors and made no request beyond 127.0.0.1", () => {
    expect(errors).toEqual([]);
  });
});
