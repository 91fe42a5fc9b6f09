import { describe, expect, it } from "vitest";
import { fromNow, upcomingRows } from "./upcoming.ts";

const now = new Date("2026-12-01T09:00:00Z");
const plan = (over: object) => ({
  id: "gdp_1",
  scenario: "stale-banner",
  at: "2026-12-04T09:00:00.000Z",
  players: [],
  status: "planned" as const,
  created_at: "2026-11-01T00:00:00.000Z",
  updated_at: "2026-11-01T00:00:00.000Z",
  etag: "e",
  ...over,
});

describe("upcoming game days on the wall", () => {
  it("says how far off a time is, rounded as people say it", () => {
    expect(fromNow("2026-12-04T09:00:00Z", now)).toBe("in 3 days");
    expect(fromNow("2026-12-02T09:00:00Z", now)).toBe("in 24 h");
    expect(fromNow("2026-12-03T09:00:00Z", now)).toBe("in 2 days");
    expect(fromNow("2026-12-01T09:20:00Z", now)).toBe("in 20 min");
    expect(fromNow("2026-12-01T09:00:20Z", now)).toBe("now");
    expect(fromNow("2026-12-01T07:00:00Z", now)).toBe("2 h ago");
  });

  it("shows the scenario's title and the GM, marking the rotation's pick as a suggestion, escaped", () => {
    const titles = new Map([["stale-banner", "The <Stale> Banner"]]);
    const named = upcomingRows([plan({ gm: "fay" })], titles, now);
    expect(named).toContain("The &#60;Stale&#62; Banner");
    expect(named).toContain("in 3 days");
    expect(named).toContain("GM fay");
    const suggested = upcomingRows([plan({ gm_suggested: { name: "ana", reason: "r" } })], new Map(), now);
    expect(suggested).toContain('GM ana <span class="suggested">(suggested)</span>');
    expect(suggested).toContain("stale-banner");
    expect(upcomingRows([plan({})], titles, now)).toContain("GM not chosen yet");
  });
});
