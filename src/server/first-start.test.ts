import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../test/support/temp.ts";
import { Tokens } from "../api/index.ts";
import { ManualClock } from "../core/index.ts";
import { openStore, type Store } from "../store/index.ts";
import { ensureLoginToken } from "./first-start.ts";

let store: Store;
beforeAll(async () => {
  store = await openStore({ home: await tempDir() });
});
afterAll(async () => {
  await store?.close();
  await removeTempDirs();
});

describe("ensureLoginToken", () => {
  it("creates the admin token once, then a read-only 24-hour session token per start", async () => {
    const clock = new ManualClock("2026-03-01T10:00:00Z");
    const tokens = new Tokens(store, clock);

    const first = await ensureLoginToken(tokens, clock);
    expect(first).toMatchObject({ firstStart: true, scope: "admin", expiresAt: null });
    expect((await tokens.verify(first.token))?.scopes).toEqual(["admin"]);
    // Even the first link only reads: the admin token is printed apart from it.
    expect(first.dashboardToken).not.toBe(first.token);
    expect((await tokens.verify(first.dashboardToken))?.scopes).toEqual(["read"]);

    const later = await ensureLoginToken(tokens, clock);
    expect(later).toMatchObject({ firstStart: false, scope: "read", expiresAt: "2026-03-02T10:00:00.000Z" });
    // A link printed on every start must not carry more than the dashboard needs: it reads.
    expect((await tokens.verify(later.token))?.scopes).toEqual(["read"]);
    expect(later.dashboardToken).toBe(later.token);
    expect((await tokens.list()).filter((t) => t.scopes.includes("admin"))).toHaveLength(1);
  });
});
