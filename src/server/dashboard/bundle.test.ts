import { describe, expect, it } from "vitest";
import { loadDashboard } from "./assets.ts";
import { bundleDashboard } from "./bundle.ts";

describe("the dashboard's client bundled from its TypeScript sources", () => {
  it("makes the shell's module, the event-stream reader and the stylesheet, sharing one chunk", async () => {
    const assets = await bundleDashboard();
    const names = assets.map((a) => a.name).sort();
    // The wall's charts (uPlot) are a chunk of their own, loaded only when the wall draws one.
    const lazy = names.filter((n) => n.startsWith("chart-"));
    expect(lazy).toHaveLength(1);
    expect(assets.find((a) => a.name === lazy[0])?.body).toContain("uPlot");
    expect(assets.find((a) => a.name === "main.js")?.body).not.toContain("uPlot");
    expect(assets.find((a) => a.name === "style.css")?.body).toContain(".uplot");
    expect(names.filter((n) => !n.startsWith("chunk-") && !n.startsWith("chart-"))).toEqual([
      "main.js",
      "sse.js",
      "style.css",
    ]);
    const chunks = names.filter((n) => n.startsWith("chunk-"));
    expect(chunks).toHaveLength(1);
    const main = assets.find((a) => a.name === "main.js");
    const sse = assets.find((a) => a.name === "sse.js");
    expect(main?.contentType).toBe("text/javascript; charset=utf-8");
    expect(assets.find((a) => a.name === "style.css")?.contentType).toBe("text/css; charset=utf-8");
    // Plain JavaScript for the browser: no type left, no import of a .ts file, only relative chunks.
    for (const js of assets.filter((a) => a.name.endsWith(".js"))) {
      expect(js.body).not.toMatch(/from "[^"]*\.ts"/);
      expect(js.body).not.toMatch(/:\s*AbortSignal\b/);
      for (const [, spec] of js.body.matchAll(/from "([^"]+)"/g)) expect(spec).toBe(`./${chunks[0]}`);
      for (const [, spec] of js.body.matchAll(/import\("([^"]+)"\)/g)) expect(spec).toBe(`./${lazy[0]}`);
    }
    expect(sse?.body).toMatch(/export\s*\{[^}]*\bmessageParser\b/);
    expect(main?.body).toContain("No token: open the link that opsdojo serve printed.");
  });

  it("gives the same bytes every time, so a server from the sources and a bundled one serve the same URLs", async () => {
    const [a, b] = await Promise.all([bundleDashboard(), bundleDashboard()]);
    expect(b).toEqual(a);
  });

  it("serves from a base path named by a digest of the files, which the shell loads", async () => {
    const dashboard = await loadDashboard();
    expect(dashboard.base).toMatch(/^\/dashboard\/[0-9a-f]{12}$/);
    expect(dashboard.shell).toContain(`<script type="module" src="${dashboard.base}/main.js"></script>`);
    expect(dashboard.shell).toContain(`<link rel="stylesheet" href="${dashboard.base}/style.css">`);
    // No inline script: the page's Content-Security-Policy allows none.
    expect(dashboard.shell.match(/<script\b[^>]*>/g)).toEqual([
      `<script type="module" src="${dashboard.base}/main.js">`,
    ]);
    expect(await loadDashboard()).toBe(dashboard);
  });
});
