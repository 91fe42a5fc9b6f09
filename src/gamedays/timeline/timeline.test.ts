import { afterAll, afterEach, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { ManualClock } from "../../core/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { GamedayItemNotFoundError, SessionNotFoundError } from "../errors.ts";
import { SessionRepository } from "../session/repository.ts";
import { appendEntry, formatEntry, formatOffset, listEntries, markHypothesis } from "./timeline.ts";

const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
afterAll(removeTempDirs);

async function session() {
  const home = await tempDir();
  const store = await openStore({ home });
  stores.push(store);
  const clock = new ManualClock("2026-03-01T10:00:00.000Z");
  const id = await new SessionRepository(store, clock).create({
    scenario: "s",
    title: "S",
    file: "s.yaml",
    source: "",
    gm: "alice",
    players: [],
    owner: "h:1",
    leaseMs: 30_000,
    faults: [],
  });
  return { home, store, clock, id };
}

describe("the timeline", () => {
  it("numbers entries without gaps, whichever connection writes them", async () => {
    const { home, store, clock, id } = await session();
    // A second connection to the same database: another `gameday note` process. (Two SQLite
    // connections in one process cannot write at the same instant without blocking each other's
    // event loop, so the two take turns; writes on one connection overlap freely.)
    const other = await openStore({ home });
    stores.push(other);
    for (let round = 0; round < 4; round++) {
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          appendEntry(round % 2 ? store.db : other.db, clock, id, {
            kind: "note",
            source: "human",
            text: `n${round}-${i}`,
          }),
        ),
      );
    }
    const entries = await listEntries(store.db, id);
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(new Set(entries.map((e) => e.text)).size).toBe(40);
    expect((await listEntries(store.db, id, 38)).map((e) => e.seq)).toEqual([39, 40]);
  });

  it("keeps an entry's own instant when it happened before it was written", async () => {
    const { store, clock, id } = await session();
    clock.advance(5000);
    const e = await appendEntry(store.db, clock, id, {
      kind: "fault.injected",
      source: "auto",
      text: "f",
      at: new Date("2026-03-01T10:00:03.250Z"),
    });
    expect(e.at).toBe("2026-03-01T10:00:03.250Z");
    expect((await listEntries(store.db, id))[0]?.at).toBe("2026-03-01T10:00:03.250Z");
  });

  it("marks hypotheses only, and refuses entries that do not exist", async () => {
    const { store, clock, id } = await session();
    const ack = await appendEntry(store.db, clock, id, {
      kind: "ack",
      source: "human",
      by: "bob",
      text: "on it",
    });
    const h = await appendEntry(store.db, clock, id, {
      kind: "hypothesis",
      source: "human",
      by: "bob",
      text: "dns",
    });
    expect((await markHypothesis(store.db, id, h.seq, true)).correct).toBe(true);
    expect((await listEntries(store.db, id)).find((e) => e.seq === h.seq)?.correct).toBe(true);
    expect((await markHypothesis(store.db, id, h.seq, false)).correct).toBe(false);
    await expect(markHypothesis(store.db, id, ack.seq, true)).rejects.toThrow(/is a ack, not a hypothesis/);
    await expect(markHypothesis(store.db, id, 99, true)).rejects.toThrow(GamedayItemNotFoundError);
    await expect(
      appendEntry(store.db, clock, "gd_nope", { kind: "note", source: "human", text: "x" }),
    ).rejects.toThrow(SessionNotFoundError);
  });

  it("prints one line per entry with its offset from the start", () => {
    expect(formatOffset(75_300)).toBe("1m15.3s");
    expect(formatOffset(2_000)).toBe("2.0s");
    expect(
      formatEntry(
        {
          seq: 7,
          at: "2026-03-01T10:01:15.300Z",
          kind: "hypothesis",
          source: "human",
          by: "bob",
          text: "dns",
          data: {},
          correct: true,
        },
        "2026-03-01T10:00:00.000Z",
      ),
    ).toBe("2026-03-01T10:01:15.300Z  +1m15.3s  #7   hypothesis             bob: dns [correct]");
  });
});
