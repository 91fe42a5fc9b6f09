import { describe, expect, it } from "vitest";
import { formatTimestamp, parseTimestamp } from "./timestamps.ts";

describe("parseTimestamp", () => {
  it("reads ISO 8601 with T or a space, offsets in every spelling, and no offset as UTC", () => {
    const utc = Date.UTC(2010, 11, 30, 13, 32, 0);
    for (const text of [
      "2010-12-30T14:32:00.000+01:00",
      "2010-12-30 14:32:00+01:00",
      "2010-12-30T14:32:00+0100",
      "2010-12-30 14:32:00+01",
      "2010-12-30T13:32:00Z",
      "2010-12-30 13:32:00",
      "2010-12-30 13:32",
    ]) {
      expect(parseTimestamp(text), text).toBe(utc);
    }
    expect(parseTimestamp("2010-12-30")).toBe(Date.UTC(2010, 11, 30));
    expect(parseTimestamp("2010-12-30 13:32:00,250")).toBe(utc + 250);
  });

  it("reads epoch seconds and milliseconds, blank as none, and refuses the rest", () => {
    expect(parseTimestamp("1700000000")).toBe(1_700_000_000_000);
    expect(parseTimestamp("1700000000.5")).toBe(1_700_000_000_500);
    expect(parseTimestamp("1700000000123")).toBe(1_700_000_000_123);
    expect(parseTimestamp("  ")).toBeNull();
    expect(parseTimestamp("yesterday")).toBeUndefined();
    expect(parseTimestamp("2010-13-45T99:00:00Z")).toBeUndefined();
  });

  it("writes RFC 3339 UTC with milliseconds", () => {
    expect(formatTimestamp(Date.UTC(2010, 11, 30, 13, 32, 0, 5))).toBe("2010-12-30T13:32:00.005Z");
  });
});
