import type { ApiApp } from "../../api/index.ts";
import { ASSET_BASE, ASSETS } from "./assets.ts";
import { SHELL } from "./shell.ts";

/**
 * The dashboard: one HTML shell at `/` and its ES modules and stylesheet under a versioned path.
 * Everything is public — the page holds no data; it reads the token from the URL fragment and
 * calls the same JSON API everyone uses. The shell is never cached, so a new server version
 * brings new asset URLs; the assets themselves are immutable.
 */
export function registerDashboard(app: ApiApp): void {
  app.get("/", { config: { scope: "public", internal: true } }, async (_request, reply) =>
    reply.type("text/html; charset=utf-8").header("cache-control", "no-store").send(SHELL),
  );
  for (const asset of ASSETS) {
    app.get(
      `${ASSET_BASE}/${asset.name}`,
      { config: { scope: "public", internal: true } },
      async (_request, reply) =>
        reply
          .type(asset.contentType)
          .header("cache-control", "public, max-age=31536000, immutable")
          .header("x-content-type-options", "nosniff")
          .send(asset.body),
    );
  }
}
