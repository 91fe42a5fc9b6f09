/**
 * The survey page (`/#/survey`) in a real Chromium at a phone's size, against a real server on
 * 127.0.0.1: no token, only an invitation code typed in; answers go in once; nothing overflows.
 */
import type { Browser } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, serve } from "../../src/server/index.ts";
import { openStore, type Store } from "../../src/store/index.ts";
import { launchChromium, loopbackPage } from "../support/browser.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";

let store: Store;
let server: RunningServer;
let browser: Browser;
let codes: string[] = [];
let roundId = "";

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
  const response = await fetch(`${server.url}/api/survey-rounds`, {
    method: "POST",
    headers: { authorization: `Bearer ${server.login.token}`, "content-type": "application/json" },
    body: JSON.stringify({ round: "phone", invitations: { team: 3 } }),
  });
  expect(response.status).toBe(201);
  const body = (await response.json()) as { round: { id: string }; codes: { code: string }[] };
  codes = body.codes.map((c) => c.code);
  roundId = body.round.id;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await store?.close();
  await removeTempDirs();
});

describe("the survey page on a phone", { timeout: 120_000 }, () => {
  it("takes a code and answers without a token, once, and fits the screen", async () => {
    const context = await browser.createBrowserContext();
    const { page, errors } = await loopbackPage(context);
    await page.setViewport({ width: 390, height: 844, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    await page.goto(`${server.url}/#/survey`);
    await page.waitForSelector("#code", { timeout: 60_000 });
    await page.type("#code", (codes[0] as string).toLowerCase());
    await page.click("#code-form button");
    await page.waitForSelector("fieldset.item", { timeout: 60_000 });
    expect(await page.$$eval("fieldset.item", (f) => f.length)).toBe(21);
    // Every choice is a target a thumb can hit.
    const smallest = await page.$$eval(".scale span", (spans) =>
      Math.min(...spans.map((s) => s.getBoundingClientRect().height)),
    );
    expect(smallest).toBeGreaterThanOrEqual(44);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.click('fieldset[data-item="cl-time"] label:nth-child(5)');
    await page.click('fieldset[data-item="em-act"] label:nth-child(2)');
    await page.click("#answers button");
    await page.waitForSelector("#thanks", { timeout: 60_000 });
    expect(await page.$eval("#thanks", (e) => e.textContent)).toContain("round phone are recorded");
    expect(page.url()).not.toContain((codes[0] as string).slice(0, 4));

    const rows = await store.db
      .selectFrom("survey_responses")
      .selectAll()
      .where("round_id", "=", roundId)
      .execute();
    expect(rows.map((r) => JSON.parse(r.answers))).toEqual([{ "cl-time": 5, "em-act": 2 }]);

    // The same code again: refused, said under the header.
    await page.goto(`${server.url}/#/`);
    await page.goto(`${server.url}/#/survey`);
    await page.waitForSelector("#code", { timeout: 60_000 });
    await page.type("#code", codes[0] as string);
    await page.click("#code-form button");
    await page.waitForFunction(
      () => (document.querySelector("#msg")?.textContent ?? "").includes("not valid"),
      { timeout: 60_000 },
    );
    expect(errors).toEqual([]);
    await context.close();
  });
});
