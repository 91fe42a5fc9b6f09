import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { freshPostgresUrl } from "../../../test/support/fresh-postgres.ts";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { CursorCodec, quoteEtag } from "../../api/index.ts";
import { ManualClock } from "../../core/index.ts";
import { type OpenStoreOptions, openStore, type Store } from "../../store/index.ts";
import { SessionRepository } from "../session/index.ts";
import { Members } from "../team/index.ts";
import { PlanInvalidError, PlanStateError, Plans } from "./index.ts";

afterAll(removeTempDirs);

const stores: Array<[string, () => Promise<OpenStoreOptions>]> = [
  ["SQLite", async () => ({ home: await tempDir() })],
  ["PostgreSQL", async () => ({ databaseUrl: await freshPostgresUrl() })],
];

describe.each(stores)("planned game days on %s", (_name, location) => {
  let store: Store;
  let plans: Plans;
  const clock = new ManualClock("2026-12-01T09:00:00.000Z");

  beforeEach(async () => {
    clock.set("2026-12-01T09:00:00.000Z");
    store = await openStore(await location());
    const core = { store, clock, cursors: new CursorCodec("k".repeat(32)) };
    plans = new Plans(core);
    const members = new Members(core);
    for (const name of ["ana", "bob", "fay"]) await members.create({ name, class: "generalist" });
    await store.db
      .insertInto("gameday_scenarios")
      .values({
        id: "scn_1",
        name: "stale-banner",
        version: 1,
        title: "The Stale Banner",
        file: "stale-banner.yaml",
        source: "",
        digest: "d",
        created_at: clock.now().toISOString(),
        updated_at: clock.now().toISOString(),
      })
      .execute();
  });
  afterEach(async () => {
    await store.close();
  });

  /** A session of `scenario` started now, with `gm` as its GM. */
  function play(scenario: string, gm: string): Promise<string> {
    return new SessionRepository(store, clock).create({
      scenario,
      title: scenario,
      file: "f.yaml",
      source: "",
      gm,
      players: [],
      owner: "test",
      leaseMs: 1000,
      faults: [],
    });
  }

  it("stores a plan in UTC and lists upcoming ones soonest first, with cursors", async () => {
    const late = await plans.create({ scenario: "stale-banner", at: "2026-12-20T14:00:00+01:00", gm: "fay" });
    expect(late).toMatchObject({ at: "2026-12-20T13:00:00.000Z", gm: "fay", status: "planned", players: [] });
    expect(late.id).toMatch(/^gdp_/);
    await plans.create({
      scenario: "stale-banner",
      at: "2026-12-05T10:00:00Z",
      players: [{ name: "bob", role: "primary" }],
      note: "room 2",
    });
    await plans.create({ scenario: "stale-banner", at: "2026-12-10T10:00:00Z", gm: "ana" });
    const first = await plans.list({ sort: "at", limit: 2 });
    expect(first.items.map((p) => p.at)).toEqual(["2026-12-05T10:00:00.000Z", "2026-12-10T10:00:00.000Z"]);
    expect(first.items[0]).toMatchObject({ note: "room 2", players: [{ name: "bob", role: "primary" }] });
    const rest = await plans.list({ sort: "at", limit: 2, cursor: first.next_cursor as string });
    expect(rest.items.map((p) => p.gm)).toEqual(["fay"]);
    expect(rest.next_cursor).toBeUndefined();
  });

  it("refuses an unknown scenario, a time in the past, and a GM or player not in the team", async () => {
    await expect(plans.create({ scenario: "nope", at: "2026-12-05T10:00:00Z" })).rejects.toThrow(
      /no scenario named "nope" is registered/,
    );
    const past = plans.create({ scenario: "stale-banner", at: "2026-11-30T10:00:00Z" });
    await expect(past).rejects.toBeInstanceOf(PlanInvalidError);
    await expect(past).rejects.toThrow(/is in the past/);
    await expect(
      plans.create({ scenario: "stale-banner", at: "2026-12-05T10:00:00Z", gm: "zed" }),
    ).rejects.toThrow(/"zed" is not a team member/);
    await expect(
      plans.create({
        scenario: "stale-banner",
        at: "2026-12-05T10:00:00Z",
        players: [{ name: "max", role: "scribe" }],
      }),
    ).rejects.toThrow(/"max" is not a team member/);
    expect((await plans.list({})).items).toEqual([]);
  });

  it("accepts a scenario that was played here though never registered", async () => {
    await play("broken-config", "ana");
    const p = await plans.create({ scenario: "broken-config", at: "2026-12-02T10:00:00Z", gm: "bob" });
    expect(p.scenario).toBe("broken-config");
  });

  it("suggests a GM from the rotation, a different one for each plan in time order", async () => {
    await play("stale-banner", "ana");
    clock.advance(3600_000);
    await play("stale-banner", "bob");
    clock.advance(3600_000);
    const a = await plans.create({ scenario: "stale-banner", at: "2026-12-05T10:00:00Z" });
    const b = await plans.create({ scenario: "stale-banner", at: "2026-12-06T10:00:00Z" });
    // ana was GM longest ago, so she is next; b's turn goes to bob once ana has had a's.
    expect(a.gm_suggested?.name).toBe("ana");
    expect((await plans.get(b.id)).gm_suggested?.name).toBe("bob");
    expect((await plans.get(a.id)).gm).toBeUndefined();
  });

  it("becomes played when a session of its scenario starts within 12 hours of its time", async () => {
    const p = await plans.create({ scenario: "stale-banner", at: "2026-12-03T14:00:00Z", gm: "fay" });
    const other = await plans.create({ scenario: "stale-banner", at: "2026-12-09T14:00:00Z", gm: "ana" });
    clock.set("2026-12-03T01:00:00.000Z"); // 13 h early: not this plan's session
    await play("stale-banner", "fay");
    expect((await plans.get(p.id)).status).toBe("planned");
    clock.set("2026-12-03T09:30:00.000Z");
    const session = await play("stale-banner", "fay");
    const played = await plans.get(p.id);
    expect(played).toMatchObject({ status: "played", session_id: session });
    expect((await plans.get(other.id)).status).toBe("planned");
    await expect(
      plans.update(p.id, { status: "cancelled" }, { ifMatch: quoteEtag(played.etag) }),
    ).rejects.toBeInstanceOf(PlanStateError);
  });

  it("links a plan to its session up to a month after its time, and no later", async () => {
    const old = await plans.create({ scenario: "stale-banner", at: "2026-12-03T14:00:00Z", gm: "fay" });
    const recent = await plans.create({ scenario: "stale-banner", at: "2026-12-10T14:00:00Z", gm: "ana" });
    clock.set("2026-12-03T14:00:00.000Z");
    await play("stale-banner", "fay");
    clock.set("2026-12-10T14:00:00.000Z");
    const session = await play("stale-banner", "ana");
    // Nobody read the plans since: 34 days after the first, 27 after the second.
    clock.set("2027-01-06T14:00:00.000Z");
    expect((await plans.get(recent.id)).session_id).toBe(session);
    expect((await plans.get(old.id)).status).toBe("planned");
  });

  it("cancels under If-Match and refuses a stale ETag; a cancelled plan in the past cannot come back", async () => {
    const p = await plans.create({ scenario: "stale-banner", at: "2026-12-03T14:00:00Z", gm: "fay" });
    await expect(plans.cancel(p.id)).rejects.toThrow(/only changed with If-Match/);
    const moved = await plans.update(p.id, { at: "2026-12-04T14:00:00Z" }, { ifMatch: quoteEtag(p.etag) });
    await expect(plans.cancel(p.id, { ifMatch: quoteEtag(p.etag) })).rejects.toThrow(
      /does not match the current ETag/,
    );
    const cancelled = await plans.cancel(p.id, { ifMatch: quoteEtag(moved.etag) });
    expect(cancelled.status).toBe("cancelled");
    clock.set("2026-12-05T00:00:00.000Z");
    await expect(
      plans.update(p.id, { status: "planned" }, { ifMatch: quoteEtag(cancelled.etag) }),
    ).rejects.toThrow(/is in the past/);
    expect((await plans.list({ filter: 'status = "cancelled"' })).items.map((x) => x.id)).toEqual([p.id]);
  });
});
