/**
 * Issue 20's "done when", on a server: the learning demo fills an empty home, `opsdojo serve`
 * serves it, the demo's practice game day is played live by `opsdojo gameday start` (as the
 * demo's output says), and a real Chromium opens the wall with the read-only link `serve` prints.
 * Every panel shows the demo's data — no "nothing yet" — fits the 1920×1080 screen, and nothing
 * the wall reads is refused.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, loopbackPage } from "../support/browser.ts";
import {
  BIN,
  cleanEnv,
  nodeProcess,
  type Run,
  type Started,
  startServe,
} from "../support/opsdojo-process.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";
import { until } from "../support/until.ts";

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON bodies, asserted field by field
type Json = any;

const DEMO = fileURLToPath(new URL("../../examples/learning/demo.mjs", import.meta.url));
/** Every panel of the wall. */
const PANELS = [
  "runs",
  "trends",
  "competence",
  "bus-factor",
  "survey",
  "action-items",
  "gamedays",
  "deviations",
] as const;

let home: string;
let practice: string;
let server: Started;
let gameday: ChildProcess | undefined;
let gamedayExit: Promise<number | null>;
let gamedayErr = "";
let browser: Browser;
let page: Page;
let errors: string[];
const apiStatuses: { url: string; status: number }[] = [];

function node(args: string[]): Promise<Run> {
  return nodeProcess(args, home);
}

async function api(path: string, token = server.info.token, init: RequestInit = {}): Promise<Json> {
  const response = await fetch(`${server.info.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...init.headers },
  });
  return { status: response.status, body: await response.json().catch(() => null) };
}

let shown = 0;

/**
 * Show one panel (no rotation) and wait until it has drawn. The address changes every time (an
 * option the wall ignores), so showing the same panel again reads the server again.
 */
async function showPanel(panel: string, theme = "dark"): Promise<void> {
  await page.evaluate((h) => {
    location.hash = h;
  }, `#/wall?panel=${panel}&theme=${theme}&every=3600&shown=${++shown}`);
  await page.waitForSelector(`.wall-panel[data-panel="${panel}"][data-drawn]`, { timeout: 60_000 });
  await page.waitForFunction((t) => document.body.dataset.theme === t, { timeout: 60_000 }, theme);
}

/**
 * The demo's next step, as it prints it: play the practice game day in its own process. Resolves
 * once the server shows it running with its fault injected (the scenario injects it after 10 s).
 */
async function playPractice(): Promise<void> {
  const child = spawn(
    process.execPath,
    [BIN, "gameday", "start", practice, "--gm", "fay", "--player", "hal:primary"],
    {
      env: cleanEnv(home),
    },
  );
  gameday = child;
  child.stderr.on("data", (d: Buffer) => {
    gamedayErr += d.toString();
  });
  gamedayExit = new Promise((done) => child.once("exit", (code) => done(code)));
  await until(
    async () => {
      if (child.exitCode !== null)
        throw new Error(`gameday start exited with ${child.exitCode}: ${gamedayErr}`);
      const live = (await api("/api/sessions?sort=-started_at&limit=1")).body?.items?.[0];
      return live?.scenario === "stale-banner" && live.status === "running" && live.fault_injected_at;
    },
    "the practice game day to run with its fault injected",
    // Only a hang reaches this: a loaded machine may take a while to start the process.
    { timeoutMs: 180_000 },
  );
}

const seen = (selector: string) =>
  // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what the test is about
  page.$eval(selector, (e) => (e as HTMLElement).innerText);

beforeAll(async () => {
  home = await tempDir();
  const demo = await node([DEMO, home]);
  expect(demo.code, demo.stderr).toBe(0);
  practice = join(home, "practice", "stale-banner.yaml");
  expect(demo.stdout).toContain(`opsdojo gameday start ${practice}`);
  server = await startServe(home, ["--quiet"]);
  browser = await launchChromium();
  ({ page, errors } = await loopbackPage(browser));
  page.on("response", (r) => {
    const url = new URL(r.url());
    if (url.pathname.startsWith("/api/")) apiStatuses.push({ url: url.pathname, status: r.status() });
  });
  await page.emulateMediaFeatures([{ name: "prefers-reduced-motion", value: "reduce" }]);
  await page.setViewport({ width: 1920, height: 1080 });
  await page.goto(server.info.dashboard_url);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  if (gameday && gameday.exitCode === null) {
    gameday.kill("SIGINT");
    await gamedayExit;
  }
  await server?.stop();
  await removeTempDirs();
}, 120_000);

describe("the learning demo on the wall", { timeout: 300_000 }, () => {
  it("opens with the link serve prints, whose token only reads", async () => {
    const token = new URL(server.info.dashboard_url).hash.replace(/^#token=/, "");
    expect((await api("/api/members?limit=1", token)).status).toBe(200);
    const write = await api("/api/members", token, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "zed", class: "generalist" }),
    });
    expect(write.status).toBe(403);
  });

  it("before anyone plays it, the practice game day is the next one on the wall", async () => {
    await showPanel("gamedays");
    const panel = await seen(".wall-panel");
    expect(panel).toMatch(/Coming up\s+The Stale Banner in 3 days\s+[\d-]+ [\d:]+ · GM fay/);
    expect(panel).not.toContain("Not played yet");
    expect(await page.$$eval(".wall-panel tbody tr", (r) => r.length)).toBe(4);
  });

  it("played by `opsdojo gameday start`, it is live on the wall", { timeout: 300_000 }, async () => {
    await playPractice();
    // The fault is real: the banner says what the players will find.
    const banner = join(home, "practice", "www", "banner.txt");
    await until(async () => (await readFile(banner, "utf8")).includes("maintenance"), "the fault to land");
    await showPanel("gamedays");
    expect(await seen(".live-list")).toMatch(/The Stale Banner\s+running/);
    expect(await seen(".live-list")).toContain("GM fay · hal");
  });

  for (const panel of PANELS) {
    it(`${panel}: shows the demo's data, nothing yet nowhere, and fits the screen`, async () => {
      await showPanel(panel);
      expect(await page.$$eval(".wall-panel .nothing", (n) => n.map((e) => e.textContent))).toEqual([]);
      const fits = await page.evaluate(() => {
        const p = document.querySelector(".wall-panel") as HTMLElement;
        const d = document.documentElement;
        return [
          p.scrollHeight <= p.clientHeight,
          p.scrollWidth <= p.clientWidth,
          d.scrollHeight <= d.clientHeight,
        ];
      });
      expect(fits).toEqual([true, true, true]);
    });
  }

  it("each panel says what the demo put in", async () => {
    await showPanel("trends");
    expect(await page.$$eval(".wall-panel .chart canvas", (c) => c.length)).toBeGreaterThan(0);
    expect(await page.$eval(".figures", (e) => e.textContent)).toContain("drills20");
    // Both medians are measured: the drills have played timelines, not bare rows.
    expect(await page.$$eval(".figure .value", (v) => v.map((e) => e.textContent))).not.toContain("—");
    await showPanel("competence");
    const matrix = await seen("table.matrix");
    for (const name of ["ann", "bo", "cy", "dee", "eli", "fay", "gus", "hal"]) expect(matrix).toContain(name);
    await showPanel("bus-factor");
    expect(await seen(".wall-panel")).toMatch(/gus/);
    await showPanel("survey");
    expect(await page.$$eval("svg.radar .dot", (d) => d.length)).toBe(7);
    expect(await page.$$eval("svg.radar .dot.unknown", (d) => d.length)).toBe(0);
    await showPanel("action-items");
    // One open item in every age band: this week, 1–4 weeks (two), 1–3 months, older.
    expect(await page.$$eval(".figure .value", (v) => v.map((e) => e.textContent))).toEqual([
      "1",
      "2",
      "1",
      "1",
    ]);
    expect(await seen(".wall-panel tbody tr:first-child")).toMatch(
      /120 d\s+Write down who may restart the ledger/,
    );
    await showPanel("runs");
    // The demo's runs, each with who started it (six members and a CI token).
    const runs = await page.$$eval(".wall-panel tbody tr td:nth-child(3)", (t) =>
      t.map((e) => e.textContent),
    );
    expect(runs.length).toBeGreaterThan(0);
    expect(runs).not.toContain("—");
    // The live game day's fault is a run too, started by the game day, not by a person.
    expect(runs.some((by) => /^game day gd_/.test(by ?? ""))).toBe(true);
    await showPanel("deviations");
    const deviations = await seen(".wall-panel");
    expect(deviations).toContain("the deploy process");
    expect(deviations).toMatch(/missing\s+canary started\s+deploy-113/);
    expect(deviations).toMatch(/unexpected\s+rollback started\s+deploy-114/);
    expect(deviations).toMatch(/wrong-order\s+canary started\s+deploy-115/);
  });

  it("read it all with the read-only token: no 401 or 403, no page error", async () => {
    expect(apiStatuses.length).toBeGreaterThan(10);
    expect(apiStatuses.filter((s) => s.status === 401 || s.status === 403)).toEqual([]);
    expect(errors).toEqual([]);
    // Screenshots of the demo for the docs: OPSDOJO_WALL_SCREENSHOTS=docs/wall writes every panel
    // there, at half scale, as test/e2e/wall.test.ts writes them from its own data.
    const out = process.env.OPSDOJO_WALL_SCREENSHOTS;
    if (!out) return;
    await mkdir(resolve(out), { recursive: true });
    await page.setViewport({ width: 1920, height: 1080, deviceScaleFactor: 0.5 });
    for (const theme of ["dark", "light"])
      for (const panel of PANELS) {
        await showPanel(panel, theme);
        const file = join(resolve(out), `${theme}-${panel}.png`) as `${string}.png`;
        await page.screenshot({ path: file });
        expect((await readFile(file)).readUInt32BE(16)).toBe(960);
      }
  });

  it("ending the live game day undoes its fault: the banner welcomes again", async () => {
    gameday?.kill("SIGINT");
    expect([0, 2]).toContain(await gamedayExit);
    expect(await readFile(join(home, "practice", "www", "banner.txt"), "utf8")).toContain("Welcome");
    const ended = (await api("/api/sessions?sort=-started_at&limit=1")).body.items[0];
    expect(ended).toMatchObject({ scenario: "stale-banner", status: "ended" });
  });
});
