/**
 * The wall radiator (`#/wall`) in a real Chromium at 1920×1080, against a real server with real
 * data (members, drills with timelines, a live session, action items of several ages, runs that
 * failed and succeeded, a mining job whose cases leave the model), read with a read-only token.
 * For every panel, in both themes: nothing overflows the panel or the page, no text is cut by the
 * screen's edge, no text is smaller than 18 px. A survey round is answered through the API by four
 * respondents (one dimension by two only, so it stays hidden); a fresh server with no learning data
 * shows "nothing yet". A loopback proxy in front of the server can drop every connection, for the
 * unreachable state.
 */
import { mkdir, readFile } from "node:fs/promises";
import { createServer, request as httpRequest, type Server } from "node:http";
import { join, resolve } from "node:path";
import type { Browser, Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Tokens } from "../../src/api/index.ts";
import { ManualClock, systemClock } from "../../src/core/index.ts";
import { SessionRepository } from "../../src/gamedays/session/index.ts";
import { setScenarioAreas } from "../../src/gamedays/team/index.ts";
import { appendEntry, markHypothesis } from "../../src/gamedays/timeline/index.ts";
import { type RunningServer, serve } from "../../src/server/index.ts";
import { openStore, type Store } from "../../src/store/index.ts";
import { launchChromium, loopbackPage } from "../support/browser.ts";
import { freePort } from "../support/ports.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";
import { until } from "../support/until.ts";

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON bodies, asserted field by field
type Json = any;

const PANELS = [
  "trends",
  "competence",
  "bus-factor",
  "survey",
  "action-items",
  "gamedays",
  "runs",
  "deviations",
] as const;
const THEMES = ["dark", "light"] as const;
const DAY = 86_400_000;

let store: Store;
let server: RunningServer;
let proxy: Server;
let proxyUrl: string;
/** While true the proxy drops every connection: the server looks unreachable. */
let proxyDown = false;
let browser: Browser;
let page: Page;
let errors: string[];
let readToken: string;
let shotsDir: string;
const apiStatuses: { url: string; status: number }[] = [];
let keys = 0;

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${server.login.token}`,
      ...(body === undefined ? {} : { "content-type": "application/json", "idempotency-key": `w-${++keys}` }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/**
 * A survey round answered by four people through the API (respondents need only their code); the
 * last dimension by two of them only, so it stays hidden (fewer than 3).
 */
async function seedSurvey(): Promise<void> {
  const started = await api("POST", "/api/survey-rounds", { round: "2026-q4", invitations: { team: 4 } });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  const codes = (started.body.codes as { code: string }[]).map((c) => c.code);
  for (const [k, code] of codes.entries()) {
    const check = await fetch(`${server.url}/api/survey-invitations/check`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ code }),
    });
    const questions = (await check.json()) as {
      survey: { dimensions: { id?: string; dimension?: string; items: { id: string }[] }[] };
    };
    const dimensions = questions.survey.dimensions;
    const answered = k < 2 ? dimensions : dimensions.slice(0, -1);
    const answers = Object.fromEntries(
      answered.flatMap((d) => d.items.map((i) => [i.id, 2 + ((k + i.id.length) % 4)])),
    );
    const sent = await fetch(`${server.url}/api/survey-responses`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ code, answers }),
    });
    expect(sent.status, await sent.text()).toBe(200);
  }
}

/** A proxy on 127.0.0.1 in front of opsdojo that can drop every connection (the server unreachable). */
async function startProxy(): Promise<void> {
  const target = new URL(server.url);
  proxy = createServer((req, res) => {
    if (proxyDown) {
      req.socket.destroy();
      return;
    }
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  const port = await freePort();
  await new Promise<void>((ready) => proxy.listen(port, "127.0.0.1", ready));
  proxyUrl = `http://127.0.0.1:${port}`;
}

/** Eight ended drills over eight days, getting faster, and one running now. */
async function seedDrills(): Promise<void> {
  const start = Date.now() - 10 * DAY;
  const crew = ["alice", "bob", "carol", "dave", "erin", "frank"];
  for (let d = 0; d < 8; d++) {
    const clock = new ManualClock(new Date(start + d * DAY));
    const repo = new SessionRepository(store, clock);
    const scenario = d % 2 === 0 ? "disk-full" : "dns-outage";
    const player = crew[d % crew.length] as string;
    const id = await repo.create({
      scenario,
      title: d % 2 === 0 ? "The disk that filled at night" : "Nobody can resolve anything",
      file: `${scenario}.yaml`,
      source: `opsdojo: scenario/v1\nname: ${scenario}\n`,
      gm: crew[(d + 1) % crew.length] as string,
      players: [
        { name: player, role: "primary" },
        { name: crew[(d + 2) % crew.length] as string, role: "secondary" },
      ],
      owner: "host:1",
      leaseMs: 600_000,
      faults: [{ name: "fill", operationId: "op_x", params: {} }],
    });
    const t0 = clock.now().getTime() + 60_000;
    const at = (ms: number) => new Date(t0 + ms);
    await repo.setFault(id, 0, { run_id: "run_x", status: "injected", injected_at: at(0).toISOString() });
    await repo.noteInjection(id, at(0).toISOString());
    const detect = (9 - d) * 60_000;
    const resolveMs = detect + (12 - d) * 60_000;
    const entry = (
      kind: "fault.injected" | "objective.failing" | "session.resolved",
      ms: number,
      data = {},
    ) => appendEntry(store.db, clock, id, { kind, source: "auto", text: kind, data, at: at(ms) });
    await entry("fault.injected", 0, { fault: "fill" });
    await entry("objective.failing", detect, { objective: "checkout" });
    const hypothesis = await appendEntry(store.db, clock, id, {
      kind: "hypothesis",
      source: "human",
      by: player,
      text: "the disk is full",
      at: at(detect + 30_000),
    });
    await markHypothesis(store.db, id, hypothesis.seq, true);
    await entry("session.resolved", resolveMs, { since: at(resolveMs).toISOString() });
    await repo.setStatus(id, "ended", { end_reason: "resolved", ended_at: at(resolveMs).toISOString() });
  }
  await setScenarioAreas(store, "disk-full", ["linux", "storage"], new Date(start));
  await setScenarioAreas(store, "dns-outage", ["dns", "networking"], new Date(start));
  const live = new SessionRepository(store, systemClock);
  const id = await live.create({
    scenario: "dns-outage",
    title: "Nobody can resolve anything",
    file: "dns-outage.yaml",
    source: "opsdojo: scenario/v1\nname: dns-outage\n",
    gm: "carol",
    players: [{ name: "erin", role: "primary" }],
    owner: "host:1",
    leaseMs: 600_000,
    faults: [{ name: "resolver", operationId: "op_x", params: {} }],
  });
  await live.noteInjection(id, new Date(Date.now() - 4 * 60_000).toISOString());
}

/** The schedule the game-day panel shows under "Coming up": one plan with a GM, one without. */
async function seedPlans(): Promise<void> {
  const inDays = (n: number) => new Date(Date.now() + n * DAY).toISOString();
  for (const body of [
    { scenario: "disk-full", at: inDays(3), gm: "alice", note: "room 2" },
    { scenario: "dns-outage", at: inDays(10) },
  ]) {
    const created = await api("POST", "/api/gameday-plans", body);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
}

async function seedPeopleAndActionItems(): Promise<void> {
  const skills: Record<string, string[]> = {
    alice: ["linux", "postgres"],
    bob: ["networking"],
    carol: ["dns", "linux"],
    dave: ["dns"],
    erin: ["storage"],
    frank: ["kubernetes"],
  };
  for (const [name, areas] of Object.entries(skills)) {
    const created = await api("POST", "/api/members", { name, class: "generalist", skills: areas });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
  const ages = [0, 3, 12, 40, 120];
  for (const [k, days] of ages.entries()) {
    const created = await api("POST", "/api/action-items", {
      title: `Alert on disk usage above 80 % (${k + 1})`,
      owner: ["alice", "bob", "carol"][k % 3],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    // Seeded ages: the store is written as the API would have written it that many days ago.
    await store.db
      .updateTable("action_items")
      .set({ created_at: new Date(Date.now() - days * DAY).toISOString() })
      .where("id", "=", created.body.id)
      .execute();
  }
}

/** One run that succeeds and one whose post-check calls a port nobody listens on. */
async function seedRuns(dir: string): Promise<void> {
  const port = await freePort();
  const source = (name: string, check: string) => `opsdojo: operation/v1
name: ${name}
targets:
  - { name: app-1, vars: { dir: "${dir}" } }
steps:
  - name: write-config
    uses: file.write
    with: { path: "\${target.dir}/${name}.conf", content: "release=2\\n" }
  - name: verify
    uses: noop
${check}`;
  const failing = `    post:\n      - http: { url: "http://127.0.0.1:${port}/health", status: 200 }\n`;
  for (const [name, check] of [
    ["roll-config", failing],
    ["rotate-logs", ""],
  ] as const) {
    expect((await api("POST", "/api/operations", { source: source(name, check) })).status).toBe(201);
    const queued = await api("POST", "/api/runs", { operation: name });
    expect(queued.status, JSON.stringify(queued.body)).toBe(201);
    await until(async () => {
      const run = (await api("GET", `/api/runs/${queued.body.id}`)).body;
      return run.finished_at || run.diagnosis ? run : undefined;
    }, `run ${queued.body.id} to finish`);
  }
}

/** A model learnt from fitting cases, then cases that leave it. */
async function seedMining(): Promise<void> {
  const job = await api("POST", "/api/mining/jobs", {
    name: "incidents",
    log_format: "<Time> <Case> <Content>",
    case_field: "Case",
  });
  expect(job.status, JSON.stringify(job.body)).toBe(201);
  const lines = `/api/mining/jobs/${job.body.id}/lines`;
  const fit = ["open", "triage", "fix", "close"].flatMap((a, i) => [`${i} c1 ${a}`, `${i} c2 ${a}`]);
  expect((await api("POST", lines, { lines: fit })).status).toBeLessThan(300);
  const model = await api("POST", "/api/mining/models", { job_id: job.body.id, name: "incident flow" });
  expect(model.status, JSON.stringify(model.body)).toBe(201);
  expect(
    (await api("POST", lines, { lines: ["5 c3 open", "6 c3 fix", "7 c3 escalate"] })).status,
  ).toBeLessThan(300);
}

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
  await seedPeopleAndActionItems();
  await seedDrills();
  await seedPlans();
  await seedRuns(await tempDir());
  await seedMining();
  await seedSurvey();
  readToken = (await new Tokens(store, systemClock).create({ name: "wall", scopes: ["read"] })).token;
  await startProxy();
  shotsDir = await tempDir();
  ({ page, errors } = await loopbackPage(browser));
  page.on("response", (r) => {
    const url = new URL(r.url());
    if (url.pathname.startsWith("/api/")) apiStatuses.push({ url: url.pathname, status: r.status() });
  });
  await page.emulateMediaFeatures([{ name: "prefers-reduced-motion", value: "reduce" }]);
  await page.setViewport({ width: 1920, height: 1080 });
  await page.goto(`${proxyUrl}/#token=${readToken}`);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((done) => (proxy ? proxy.close(done) : done(undefined)));
  await server?.close();
  await store?.close();
  await removeTempDirs();
});

/** What a person sees of an element: its rendered text, hidden parts left out. */
const seen = (p: Page, selector: string) =>
  // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what the test is about
  p.$eval(selector, (e) => (e as HTMLElement).innerText);

/** Show one panel (no rotation) and wait until it has drawn. */
async function showPanel(p: Page, panel: string, theme: string): Promise<void> {
  await p.evaluate((h) => {
    location.hash = h;
  }, `#/wall?panel=${panel}&theme=${theme}&every=3600`);
  await p.waitForSelector(`.wall-panel[data-panel="${panel}"][data-drawn]`, { timeout: 60_000 });
  await p.waitForFunction((t) => document.body.dataset.theme === t, { timeout: 60_000 }, theme);
}

interface Layout {
  readonly page: { scrollWidth: number; clientWidth: number; scrollHeight: number; clientHeight: number };
  readonly panel: { scrollWidth: number; clientWidth: number; scrollHeight: number; clientHeight: number };
  /** Text elements whose box leaves the viewport, or whose font is under 18 px. */
  readonly cut: string[];
  readonly small: string[];
  readonly texts: number;
  /** The element reaching lowest on the page: what to look at when the page overflows. */
  readonly lowest: string;
}

/** Measures what a person 3 m away would notice: overflow, text cut at the edges, small type. */
function measure(p: Page): Promise<Layout> {
  return p.evaluate(() => {
    const box = (e: Element) => ({
      scrollWidth: e.scrollWidth,
      clientWidth: e.clientWidth,
      scrollHeight: e.scrollHeight,
      clientHeight: e.clientHeight,
    });
    const panel = document.querySelector(".wall-panel") as HTMLElement;
    const cut: string[] = [];
    const small: string[] = [];
    let texts = 0;
    let lowest = "";
    let bottom = 0;
    for (const e of Array.from(document.querySelectorAll("body *"))) {
      const b = e.getBoundingClientRect().bottom;
      if (b > bottom) {
        bottom = b;
        lowest = `${e.localName}.${e.getAttribute("class") ?? ""} ${Math.round(b)}`;
      }
    }
    for (const e of Array.from(document.querySelectorAll("#view *"))) {
      const own = Array.from(e.childNodes).some(
        (n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? "").trim() !== "",
      );
      if (!own) continue;
      const r = e.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      texts++;
      const name = `${e.localName}.${e.getAttribute("class") ?? ""} "${(e.textContent ?? "").trim().slice(0, 40)}"`;
      if (r.left < 0 || r.top < 0 || r.right > innerWidth + 0.5 || r.bottom > innerHeight + 0.5)
        cut.push(
          `${name} at ${Math.round(r.left)},${Math.round(r.top)}–${Math.round(r.right)},${Math.round(r.bottom)}`,
        );
      // An ancestor that clips (overflow hidden) must hold the whole box too.
      for (let a = e.parentElement; a; a = a.parentElement) {
        if (getComputedStyle(a).overflow === "visible") continue;
        const c = a.getBoundingClientRect();
        if (
          r.left < c.left - 0.5 ||
          r.right > c.right + 0.5 ||
          r.top < c.top - 0.5 ||
          r.bottom > c.bottom + 0.5
        )
          cut.push(`${name} clipped by ${a.localName}.${a.getAttribute("class") ?? ""}`);
        break;
      }
      const px = Number.parseFloat(getComputedStyle(e).fontSize);
      if (px < 18) small.push(`${name}: ${px}px`);
    }
    return { page: box(document.documentElement), panel: box(panel), cut, small, texts, lowest };
  });
}

describe("the wall in Chromium at 1920×1080", () => {
  for (const theme of THEMES) {
    for (const panel of PANELS) {
      it(`${panel}, ${theme}: fits, nothing cut, text at least 18 px`, async () => {
        await showPanel(page, panel, theme);
        const layout = await measure(page);
        expect(layout.cut).toEqual([]);
        expect(layout.small).toEqual([]);
        const why = `lowest: ${layout.lowest}`;
        expect(layout.page.scrollWidth, why).toBeLessThanOrEqual(layout.page.clientWidth);
        expect(layout.page.scrollHeight, why).toBeLessThanOrEqual(layout.page.clientHeight);
        expect(layout.panel.scrollWidth, why).toBeLessThanOrEqual(layout.panel.clientWidth);
        expect(layout.panel.scrollHeight, why).toBeLessThanOrEqual(layout.panel.clientHeight);
        expect(layout.texts).toBeGreaterThan(3);
        const file = join(shotsDir, `${theme}-${panel}.png`);
        await page.screenshot({ path: file as `${string}.png` });
        const png = await readFile(file);
        // The PNG header's width and height: the screen the layout was measured on.
        expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1920, 1080]);
      });
    }
  }

  it("draws the trends with uPlot, and the panels show the seeded data", async () => {
    await showPanel(page, "trends", "dark");
    expect(await page.$$eval(".wall-panel .chart canvas", (c) => c.length)).toBeGreaterThan(0);
    expect(await page.$eval(".figures", (e) => e.textContent)).toContain("drills8");
    // Drills got faster: the median of the last five is below the five before.
    expect(await page.$eval(".figure .was", (e) => e.className)).toContain("ok");
    await showPanel(page, "competence", "dark");
    const matrix = await seen(page, "table.matrix");
    expect(matrix).toContain("alice");
    expect(matrix).toMatch(/3 competent/);
    await showPanel(page, "survey", "dark");
    expect(await page.$$eval("svg.radar .dot", (d) => d.length)).toBe(7);
    expect(await page.$$eval("svg.radar .dot.unknown", (d) => d.length)).toBe(1);
    const dimensions = await seen(page, "ol.dimensions");
    expect(dimensions).toContain("Hypotheses stated per drill");
    expect(dimensions).toMatch(/evidence score: [\d.]+ of 6/);
    await showPanel(page, "bus-factor", "dark");
    const bus = await seen(page, ".wall-panel");
    // What the learning API says, on the wall: the least covered area, and each Brent.
    const report = (await api("GET", "/api/learning/bus-factor")).body as {
      areas: { area: string; bus_factor: number }[];
      brents: { name: string; services: string[]; areas: string[] }[];
    };
    const thinnest = [...report.areas].sort(
      (x, y) => x.bus_factor - y.bus_factor || x.area.localeCompare(y.area),
    )[0];
    expect(thinnest).toBeDefined();
    expect(bus).toContain(thinnest?.area);
    for (const brent of report.brents) expect(bus).toContain(brent.name);
    await showPanel(page, "action-items", "dark");
    expect(await page.$$eval(".figure .value", (v) => v.map((e) => e.textContent))).toEqual([
      "2",
      "1",
      "1",
      "1",
    ]);
    expect(await page.$eval(".wall-panel tbody tr:first-child .age", (e) => e.textContent)).toBe("120 d");
    await showPanel(page, "gamedays", "dark");
    expect(await seen(page, ".live-list")).toMatch(/Nobody can resolve anything/);
    const comingUp = await seen(page, ".upcoming");
    expect(comingUp).toMatch(/disk-full in 3 days\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} · GM alice/);
    expect(comingUp).toMatch(/dns-outage in 10 days[\s\S]*GM \w+ \(suggested\)/);
    expect(await seen(page, ".wall-panel")).not.toContain("Not played yet");
    await showPanel(page, "runs", "dark");
    const runs = await page.$$eval(".wall-panel tbody tr", (rows) =>
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what the test is about
      rows.map((r) => ({ text: (r as HTMLElement).innerText, tone: r.querySelector(".status")?.className })),
    );
    const failed = runs.find((r) => r.text.includes("roll-config"));
    expect(failed?.text).toContain("verify on app-1");
    expect(failed?.tone).toMatch(/\b(bad|warn)\b/);
    expect(runs.find((r) => r.text.includes("rotate-logs"))?.tone).toMatch(/\bok\b/);
    await showPanel(page, "deviations", "dark");
    const deviations = await seen(page, ".wall-panel");
    expect(deviations).toContain("incident flow");
    expect(deviations).toMatch(/unexpected\s+escalate\s+c3/);
  });

  it("follows the system's theme unless ?theme= says otherwise", async () => {
    await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: "light" }]);
    await page.evaluate(() => {
      location.hash = "#/wall?panel=runs&every=3600";
    });
    await page.waitForFunction(() => document.body.dataset.theme === "light", { timeout: 60_000 });
    const light = await page.$eval("body", (b) => getComputedStyle(b).backgroundColor);
    await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: "dark" }]);
    await page.waitForFunction(() => document.body.dataset.theme === "dark", { timeout: 60_000 });
    expect(await page.$eval("body", (b) => getComputedStyle(b).backgroundColor)).not.toBe(light);
  });

  it("rotates through the panels by itself", async () => {
    await page.evaluate(() => {
      location.hash = "#/wall?panels=runs,gamedays&every=1";
    });
    const seen = new Set<string>();
    await until(async () => {
      const shown = await page.$eval(".wall-panel", (e) => (e as HTMLElement).dataset.panel ?? "");
      if (shown) seen.add(shown);
      return seen.size === 2;
    }, "the wall to show both panels in turn");
    expect([...seen].sort()).toEqual(["gamedays", "runs"]);
  });

  it("says the server is unreachable and how old the data is, then recovers", async () => {
    await page.evaluate(() => {
      location.hash = "#/wall?panel=runs&every=1";
    });
    await page.waitForSelector('.wall-panel[data-panel="runs"][data-drawn]', { timeout: 60_000 });
    proxyDown = true;
    try {
      await page.waitForSelector(".wall-state.stale", { timeout: 60_000 });
      expect(await page.$eval(".wall-state", (e) => e.textContent)).toMatch(
        /^server unreachable — data from \d\d:\d\d$/,
      );
      expect(await page.$eval(".wall-panel", (e) => e.className)).toContain("stale");
      // The last panel is still there to read.
      expect(await page.$$eval(".wall-panel tbody tr", (rows) => rows.length)).toBeGreaterThan(0);
    } finally {
      proxyDown = false;
    }
    await page.waitForFunction(() => !document.querySelector(".wall-state.stale"), { timeout: 60_000 });
  });

  it("on the other views too: 'server unreachable — data from HH:MM' instead of stale data that looks live", async () => {
    await page.evaluate(() => {
      location.hash = "#/runs";
    });
    await page.waitForSelector("#runs tbody tr[data-id]", { timeout: 60_000 });
    expect(await page.$eval("body", (b) => b.className)).not.toContain("wall");
    proxyDown = true;
    try {
      // The list refreshes every 10 s: the first refresh that cannot reach the server says so.
      await page.waitForSelector("#msg.unreachable", { timeout: 60_000 });
      expect(await page.$eval("#msg", (e) => e.textContent)).toMatch(
        /^server unreachable — data from \d\d:\d\d$/,
      );
      expect(await page.$eval("#view", (e) => e.className)).toContain("stale");
      expect(await page.$$eval("#runs tbody tr[data-id]", (rows) => rows.length)).toBeGreaterThan(0);
    } finally {
      proxyDown = false;
    }
    await page.waitForFunction(() => !document.querySelector("#msg.unreachable, #view.stale"), {
      timeout: 60_000,
    });
  });

  it("draws the deviations on the process model's page: skipped steps amber, activities outside it named", async () => {
    const models = (await api("GET", "/api/mining/models?limit=5")).body.items as Json[];
    const model = models.find((m) => m.name === "incident flow");
    await page.evaluate((h) => {
      location.hash = h;
    }, `#/models/${model.id}`);
    await page.waitForFunction(
      () => document.querySelector(".deviation-key")?.textContent?.includes("amber"),
      {
        timeout: 60_000,
      },
    );
    // c3 went open → fix → escalate: triage skipped; escalate is not in the model at all.
    expect(
      await page.$$eval("#drawing g.skipped", (g) => g.map((e) => e.getAttribute("data-activity"))),
    ).toEqual(["triage"]);
    expect(await page.$eval("#drawing g.skipped title", (t) => t.textContent)).toMatch(
      /^triage( \(\d+\))? — 1 case skipped it$/,
    );
    expect(await page.$eval(".deviation-key", (e) => e.textContent)).toContain("not in the model: escalate");
  });

  it("shows 'nothing yet' for the survey and bus factors on a server with no learning data", async () => {
    const bare = await openStore({ home: await tempDir() });
    const empty = await serve({ store: bare, host: "127.0.0.1", port: 0, logger: false });
    const token = (await new Tokens(bare, systemClock).create({ name: "wall", scopes: ["read"] })).token;
    const { page: direct, errors: directErrors } = await loopbackPage(browser);
    try {
      await direct.setViewport({ width: 1920, height: 1080 });
      await direct.goto(`${empty.url}/#token=${token}`);
      await showPanel(direct, "survey", "dark");
      expect(await direct.$eval(".wall-panel .nothing", (e) => e.textContent)).toContain(
        "No survey results yet",
      );
      await showPanel(direct, "bus-factor", "dark");
      expect(await direct.$eval(".wall-panel .nothing", (e) => e.textContent)).toBe("No bus factors yet.");
      expect(directErrors).toEqual([]);
    } finally {
      await direct.close();
      await empty.close();
      await bare.close();
    }
  });

  it("read everything with a read-only token: no 401 or 403, no page error, nothing blocked", async () => {
    expect(apiStatuses.length).toBeGreaterThan(10);
    expect(apiStatuses.filter((s) => s.status === 401 || s.status === 403)).toEqual([]);
    expect(errors).toEqual([]);
    // Screenshots for the docs (docs/dashboard.md): OPSDOJO_WALL_SCREENSHOTS=docs/wall writes them
    // there, at half scale (the same 1920×1080 layout, a quarter of the pixels) to keep them small.
    const out = process.env.OPSDOJO_WALL_SCREENSHOTS;
    if (out) {
      await mkdir(resolve(out), { recursive: true });
      await page.setViewport({ width: 1920, height: 1080, deviceScaleFactor: 0.5 });
      try {
        for (const theme of THEMES)
          for (const panel of PANELS) {
            await showPanel(page, panel, theme);
            await page.screenshot({ path: join(resolve(out), `${theme}-${panel}.png`) as `${string}.png` });
          }
      } finally {
        await page.setViewport({ width: 1920, height: 1080 });
      }
    }
  });
});
