import { afterAll, afterEach, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { ManualClock } from "../../core/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { actorOf, Tokens } from "./tokens.ts";

const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
afterAll(removeTempDirs);

describe("token cache with a change feed (SQLite)", () => {
  it("keeps a verified token past the old 5 s, and refuses it at once when another connection (the CLI) revokes it", async () => {
    const home = await tempDir();
    const server = await openStore({ home });
    const cli = await openStore({ home });
    stores.push(server, cli);
    const clock = new ManualClock("2026-05-01T10:00:00.000Z");
    const tokens = new Tokens(server, clock, { changes: server.changes });
    const created = await new Tokens(cli, clock).create({ name: "ci", scopes: ["read"] });
    expect(await tokens.verify(created.token)).toMatchObject({ id: created.id });
    clock.advance(60_000);
    // Answered from the cache: a value, not a promise, so the store was not read.
    expect(tokens.verify(created.token)).toMatchObject({ id: created.id });
    expect(await new Tokens(cli, clock).revoke(created.id)).toBe(true);
    // A request that comes after the commit is handled in a later turn of the event loop.
    await new Promise((resolve) => setImmediate(resolve));
    expect(await tokens.verify(created.token)).toBeUndefined();
    tokens.close();
  });

  it("refuses a token at once when this node revokes it, and one that expired while cached", async () => {
    const store = await openStore({ home: await tempDir() });
    stores.push(store);
    const clock = new ManualClock("2026-05-01T10:00:00.000Z");
    const tokens = new Tokens(store, clock, { changes: store.changes });
    const a = await tokens.create({ name: "a", scopes: ["read"] });
    const b = await tokens.create({
      name: "b",
      scopes: ["read"],
      expiresAt: new Date("2026-05-01T10:30:00.000Z"),
    });
    expect(await tokens.verify(a.token)).toMatchObject({ id: a.id });
    expect(await tokens.verify(b.token)).toMatchObject({ id: b.id });
    await tokens.revoke(a.id);
    expect(await tokens.verify(a.token)).toBeUndefined();
    clock.advance(31 * 60_000);
    expect(await tokens.verify(b.token)).toBeUndefined();
    tokens.close();
  });
});

describe("a token's person", () => {
  it("is who its runs were started by; a token that is nobody's stands for itself by name", async () => {
    const store = await openStore({ home: await tempDir() });
    stores.push(store);
    const tokens = new Tokens(store, new ManualClock("2026-05-01T10:00:00.000Z"));
    const ana = await tokens.create({ name: "ana-laptop", scopes: ["execute"], person: " ana " });
    const ci = await tokens.create({ name: "ci", scopes: ["write"] });
    expect(await tokens.verify(ana.token)).toMatchObject({ name: "ana-laptop", person: "ana" });
    expect(actorOf(ana)).toBe("ana");
    expect(ci.person).toBeNull();
    expect(actorOf(ci)).toBe("ci");
    expect((await tokens.list()).map((t) => t.person)).toEqual(["ana", null]);
    await expect(tokens.create({ name: "x", scopes: ["read"], person: "  " })).rejects.toThrow(
      /--person must be 1 to 100 characters/,
    );
  });
});
