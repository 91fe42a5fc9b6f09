import { afterAll, afterEach, describe, expect, it } from "vitest";
import { freshPostgresUrl } from "../../test/support/fresh-postgres.ts";
import { removeTempDirs, tempDir } from "../../test/support/temp.ts";
import { CursorCodec } from "../api/index.ts";
import { ManualClock } from "../core/index.ts";
import { openStore, type Store } from "../store/index.ts";
import { Directory } from "./directory.ts";

const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
afterAll(removeTempDirs);

describe.each([
  ["SQLite", async () => openStore({ home: await tempDir() })],
  ["PostgreSQL", async () => openStore({ databaseUrl: await freshPostgresUrl() })],
])("cached reads of single entries on %s", (_name, open) => {
  async function twoNodes() {
    const store = await open();
    stores.push(store);
    const clock = new ManualClock("2026-03-01T00:00:00Z");
    const core = { store, clock, cursors: new CursorCodec("a2V5a2V5a2V5a2V5") };
    return { a: new Directory(core), b: new Directory(core), clock };
  }

  it("shows another node's update, delete and conformance result at once", async () => {
    const { a, b, clock } = await twoNodes();
    const created = await a.create({
      name: "pay",
      owner: "sre",
      instances: [{ base_url: "http://127.0.0.1:9" }],
    });
    expect((await b.get(created.id)).owner).toBe("sre");
    clock.advance(1000);
    await a.update(created.id, { owner: "platform" });
    const seen = await b.get(created.id);
    expect(seen.owner).toBe("platform");
    expect(seen.etag).not.toBe(created.etag);
    await a.remove(created.id);
    expect((await b.get(created.id)).deleted_at).toBeDefined();
    await a.recordConformance(created.id, {
      checked_at: clock.now().toISOString(),
      pass: 1,
      fail: 0,
      skip: 0,
      must_failures: [],
      instances: [],
    });
    expect((await b.get(created.id)).conformance?.pass).toBe(1);
  });

  it("shows a health poll recorded by another node, and never loses it to a concurrent edit", async () => {
    const { a, b, clock } = await twoNodes();
    const created = await a.create({
      name: "pay",
      owner: "sre",
      instances: [{ base_url: "http://127.0.0.1:9" }],
    });
    const before = await b.get(created.id);
    expect(before.instances[0]?.status).toBe("unknown");
    await a.recordHealth(created.id, {
      base_url: "http://127.0.0.1:9",
      status: "fail",
      checked_at: clock.now().toISOString(),
      detail: "HTTP 503",
    });
    const after = await b.get(created.id);
    expect(after.instances[0]).toMatchObject({ status: "fail", detail: "HTTP 503" });
    expect(after.etag).not.toBe(before.etag);
    // An edit made from a read taken before the poll must not roll the health version back.
    await b.update(created.id, { description: "payments" });
    clock.advance(1000);
    await a.recordHealth(created.id, {
      base_url: "http://127.0.0.1:9",
      status: "pass",
      checked_at: clock.now().toISOString(),
      detail: null,
    });
    expect((await b.get(created.id)).instances[0]?.status).toBe("pass");
  });
});
