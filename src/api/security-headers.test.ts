import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../test/support/temp.ts";
import { ManualClock } from "../core/index.ts";
import { openStore, type Store } from "../store/index.ts";
import { type ApiApp, createApiCore } from "./core.ts";
import { CONTENT_SECURITY_POLICY } from "./security-headers.ts";

let store: Store;
let app: ApiApp;
beforeAll(async () => {
  store = await openStore({ home: await tempDir() });
  app = await createApiCore({
    store,
    clock: new ManualClock(),
    rateLimit: { quota: 10_000, windowSeconds: 60 },
  });
  app.get("/api/things", async () => ({ items: [] }));
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await store?.close();
  await removeTempDirs();
});

function expectHardened(headers: Record<string, unknown>, what: string) {
  expect(headers["content-security-policy"], what).toBe(CONTENT_SECURITY_POLICY);
  expect(headers["x-content-type-options"], what).toBe("nosniff");
  expect(headers["x-frame-options"], what).toBe("DENY");
  expect(headers["referrer-policy"], what).toBe("no-referrer");
}

describe("security headers", () => {
  it("are on HTML pages, JSON, problems and answers to URLs that fail before routing", async () => {
    for (const url of [
      "/docs",
      "/problems",
      "/problems/not-found",
      "/openapi.json",
      "/health",
      "/api/things",
      "/nowhere",
      "/%zz",
    ]) {
      const res = await app.inject({ url });
      expectHardened(res.headers, url);
    }
  });

  it("forbid framing, plugins, other origins and inline scripts", () => {
    const directives = new Map(
      CONTENT_SECURITY_POLICY.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1).join(" ")]),
    );
    expect(directives.get("default-src")).toBe("'self'");
    expect(directives.get("script-src")).toBe("'self'");
    expect(directives.get("frame-ancestors")).toBe("'none'");
    expect(directives.get("object-src")).toBe("'none'");
    expect(CONTENT_SECURITY_POLICY).not.toContain("unsafe-inline");
    expect(CONTENT_SECURITY_POLICY).not.toContain("unsafe-eval");
  });

  it("allow the inline stylesheet of /docs by its hash, so the page is styled under the policy", async () => {
    const page = await app.inject({ url: "/docs" });
    const inline = /<style>([\s\S]*?)<\/style>/.exec(page.body)?.[1];
    expect(inline).toBeDefined();
    const hash = createHash("sha256")
      .update(inline as string)
      .digest("base64");
    expect(page.headers["content-security-policy"]).toContain(`style-src 'self' 'sha256-${hash}'`);
    expect(page.body).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
  });
});
