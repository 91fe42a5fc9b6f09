import { type ApiApp, notFound } from "../../api/index.ts";
import { loadDashboard } from "./assets.ts";

export type { Dashboard } from "./assets.ts";
export { loadDashboard } from "./assets.ts";
export { type Asset, bundleDashboard } from "./bundle.ts";

/**
 * The dashboard: one HTML shell at `/` and its ES modules and stylesheet under a versioned path.
 * Everything is public — the page holds no data; it reads the token from the URL fragment and
 * calls the same JSON API everyone uses. The shell is never cached, so a new server version
 * brings new asset URLs; the assets themselves are immutable, and any other version is not found.
 */
export function registerDashboard(app: ApiApp): void {
  app.get("/", { config: { scope: "public", internal: true } }, async (_request, reply) => {
    const dashboard = await loadDashboard();
    return reply.type("text/html; charset=utf-8").header("cache-control", "no-store").send(dashboard.shell);
  });
  app.get<{ Params: { version: string; name: string } }>(
    "/dashboard/:version/:name",
    { config: { scope: "public", internal: true } },
    async (request, reply) => {
      const dashboard = await loadDashboard();
      const asset = dashboard.assets.get(request.params.name);
      // Only this server's version exists: an old page asking for old code gets a 404, not new code.
      if (!asset || `/dashboard/${request.params.version}` !== dashboard.base)
        throw notFound(`the dashboard file ${request.url}`);
      return reply
        .type(asset.contentType)
        .header("cache-control", "public, max-age=31536000, immutable")
        .header("x-content-type-options", "nosniff")
        .send(asset.body);
    },
  );
}
