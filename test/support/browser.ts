import { accessSync, constants } from "node:fs";
import puppeteer, { type Browser, type BrowserContext, type Page } from "puppeteer-core";

/** Where Debian's `chromium` package puts the browser (`.ci/run` installs it). */
const DEBIAN_CHROMIUM = "/usr/bin/chromium";

/**
 * The Chromium to drive: `$CHROMIUM_PATH`, else Debian's. Missing is an error that says how to
 * get it — the same policy as PostgreSQL (test/support/postgres.ts): the run fails, never skips.
 */
export function findChromium(): string {
  const path = process.env.CHROMIUM_PATH || DEBIAN_CHROMIUM;
  try {
    accessSync(path, constants.X_OK);
    return path;
  } catch {
    const where = process.env.CI === "true" ? "CI must provide it" : "the browser tests need it";
    const named = process.env.CHROMIUM_PATH ? `$CHROMIUM_PATH (${path})` : path;
    throw new Error(
      `Chromium not found at ${named}; ${where}. Install it with \`apt-get install -y chromium\` (as root), ` +
        "run .ci/run, or set CHROMIUM_PATH to a Chromium or Chrome binary.",
    );
  }
}

/**
 * Chromium, headless, talking to us over a pipe (no debugging port) and kept to loopback: no
 * background services, every host name but 127.0.0.1 unresolvable, no proxy. `--no-sandbox`
 * because the tests run as root, where Chromium's sandbox refuses to start; it only ever loads
 * pages of a server the test started on 127.0.0.1.
 */
export async function launchChromium(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: findChromium(),
    headless: true,
    pipe: true,
    protocolTimeout: 30_000,
    args: [
      "--no-sandbox",
      "--no-first-run",
      "--no-default-browser-check",
      "--no-proxy-server",
      "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-domain-reliability",
      "--disable-sync",
      "--disable-extensions",
      "--disable-features=Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider",
      "--no-pings",
      "--disable-dev-shm-usage",
    ],
  });
}

/**
 * A new tab whose every request to anything but `http://127.0.0.1` is aborted, and whose page
 * errors, failed loads and CSP violations are collected (`errors`) so a test can assert there were none.
 */
export async function loopbackPage(
  browser: Browser | BrowserContext,
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(`page error: ${String(error)}`));
  // A resource or script the Content-Security-Policy blocked shows only as a console message.
  page.on("console", (message) => {
    if (message.text().includes("Content Security Policy")) errors.push(`CSP: ${message.text()}`);
  });
  await page.setRequestInterception(true);
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.protocol === "http:" && url.hostname === "127.0.0.1") void request.continue();
    else if (url.protocol === "data:" || url.protocol === "blob:") void request.continue();
    else {
      errors.push(`blocked request to ${request.url()}`);
      void request.abort("blockedbyclient");
    }
  });
  return { page, errors };
}
