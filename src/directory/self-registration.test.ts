import { afterAll, afterEach, describe, expect, it } from "vitest";
import { freshPostgresUrl } from "../../test/support/fresh-postgres.ts";
import { removeTempDirs, tempDir } from "../../test/support/temp.ts";
import { CursorCodec } from "../api/index.ts";
import { ManualClock, randomSecret } from "../core/index.ts";
import { openStore, type Store } from "../store/index.ts";
import { Directory } from "./directory.ts";
import { registerOwnUnits } from "./self-registration.ts";

const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
afterAll(removeTempDirs);

const UNITS = [
  { name: "directory", description: "Service directory" },
  { name: "operations", description: "Undoable operations" },
];

describe.each([
  ["SQLite", async () => openStore({ home: await tempDir() })],
  ["PostgreSQL", async () => openStore({ databaseUrl: await freshPostgresUrl() })],
])("registerOwnUnits on %s", (_name, open) => {
  async function directory() {
    const store = await open();
    stores.push(store);
    const clock = new ManualClock("2026-03-01T00:00:00.000Z");
    return { dir: new Directory({ store, clock, cursors: new CursorCodec(randomSecret(32)) }), clock };
  }

  it("creates one production entry per unit, pointing at this node", async () => {
    const { dir } = await directory();
    await registerOwnUnits(dir, { units: UNITS, baseUrl: "http://127.0.0.1:7878", apiVersion: "1.0.0" });
    const { items } = await dir.list({ sort: "name" });
    expect(items.map((s) => s.name)).toEqual(["directory", "operations"]);
    for (const [i, s] of items.entries()) {
      expect(s).toMatchObject({
        owner: "opsdojo",
        description: UNITS[i]?.description,
        lifecycle: "production",
        health_url: "/health",
        instances: [{ base_url: "http://127.0.0.1:7878", status: "unknown" }],
        versions: [{ version: "1.0.0", status: "active", spec_url: "http://127.0.0.1:7878/openapi.json" }],
      });
    }
  });

  it("is idempotent: a second run with the same node changes nothing", async () => {
    const { dir, clock } = await directory();
    const options = { units: UNITS, baseUrl: "http://127.0.0.1:7878", apiVersion: "1.0.0" };
    await registerOwnUnits(dir, options);
    const before = (await dir.list({ sort: "name" })).items;
    clock.advance(60_000);
    await registerOwnUnits(dir, options);
    expect((await dir.list({ sort: "name", show_deleted: true })).items).toEqual(before);
  });

  it("appends a second node's base URL, and a new API version, to the existing entries", async () => {
    const { dir } = await directory();
    await registerOwnUnits(dir, { units: UNITS, baseUrl: "http://10.0.0.1:7878", apiVersion: "1.0.0" });
    await registerOwnUnits(dir, { units: UNITS, baseUrl: "http://10.0.0.2:7878", apiVersion: "1.0.0" });
    await registerOwnUnits(dir, { units: UNITS, baseUrl: "http://10.0.0.2:7878", apiVersion: "1.1.0" });
    const { items } = await dir.list({});
    expect(items).toHaveLength(2);
    for (const s of items) {
      expect(s.instances.map((i) => i.base_url)).toEqual(["http://10.0.0.1:7878", "http://10.0.0.2:7878"]);
      expect(s.versions.map((v) => v.version)).toEqual(["1.0.0", "1.1.0"]);
    }
  });

  it("registers every node when several start at once", async () => {
    const { dir } = await directory();
    const urls = ["http://10.0.0.1:7878", "http://10.0.0.2:7878", "http://10.0.0.3:7878"];
    await Promise.all(
      urls.map((baseUrl) => registerOwnUnits(dir, { units: UNITS, baseUrl, apiVersion: "1.0.0" })),
    );
    const { items } = await dir.list({ show_deleted: true });
    expect(items).toHaveLength(2);
    for (const s of items) expect(s.instances.map((i) => i.base_url).sort()).toEqual(urls);
  });
});
