import type { Browser, Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, serve } from "../../src/server/index.ts";
import { openStore, type Store } from "../../src/store/index.ts";
import { launchChromium, loopbackPage } from "../support/browser.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";
import { until } from "../support/until.ts";

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON bodies, asserted field by field
type Json = any;

let store: Store;
let server: RunningServer;
let browser: Browser;
let page: Page;
let errors: string[];
let keys = 0;

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

const operation = (drain: boolean) => `opsdojo: operation/v1
name: release-web
targets:
  - { name: web-1 }
steps:
${drain ? "  - name: drain\n    uses: noop\n" : ""}  - name: deploy
    uses: noop
`;

/** Register `source` (a new version when it differs) and run it on the server to its end. */
async function runToEnd(source: string): Promise<string> {
  expect([200, 201]).toContain((await api("POST", "/api/operations", { source })).status);
  const queued = await api("POST", "/api/runs", { operation: "release-web" });
  expect(queued.status, JSON.stringify(queued.body)).toBe(201);
  await until(
    async () => (await api("GET", `/api/runs/${queued.body.id}`)).body.status === "succeeded",
    "the run",
  );
  return queued.body.id;
}

let deviating: string;

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
  for (let i = 0; i < 5; i++) await runToEnd(operation(true));
  // A new version without its drain step: the sixth run deploys without draining first.
  deviating = await runToEnd(operation(false));
  ({ page, errors } = await loopbackPage(browser));
  await page.goto(`${server.url}/#token=${server.login.token}`);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await store?.close();
  await removeTempDirs();
});

describe("the dashboard's run page", () => {
  it("lists the run's deviations from earlier runs", async () => {
    await page.evaluate((h) => {
      location.hash = h;
    }, `#/runs/${deviating}`);
    await page.waitForSelector("#deviations tbody tr", { timeout: 60_000 });
    const rows = await page.$$eval("#deviations tbody tr", (trs) =>
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what the test is about
      trs.map((tr) => (tr as HTMLElement).innerText),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain("skipped");
    expect(rows[0]).toContain("web-1");
    expect(rows[0]).toContain("deploy started before drain was done");
    expect(errors).toEqual([]);
  });
});
