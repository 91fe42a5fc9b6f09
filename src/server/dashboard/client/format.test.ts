import { describe, expect, it } from "vitest";
import * as format from "./format.ts";

describe("format.ts", () => {
  it("shows an event's data with its quotes as they are, not backslash-escaped", () => {
    expect(format.fields({ observed: 'HTTP 503, body: {"status":"fail"}', attempt: 2 })).toBe(
      'observed: HTTP 503, body: {"status":"fail"} · attempt: 2',
    );
    expect(format.fields(undefined)).toBe("");
  });

  it("writes times in the browser's zone, 24-hour, with the offset and the UTC instant on hover", () => {
    const zone = process.env.TZ;
    process.env.TZ = "Asia/Kolkata"; // +05:30: a half-hour offset shows the minutes are right
    try {
      expect(format.when("2026-05-01T22:05:09.123+02:00")).toBe(
        '<time datetime="2026-05-01T20:05:09.123Z" title="2026-05-02 01:35:09 UTC+05:30 (2026-05-01 20:05:09 UTC)">2026-05-02 01:35:09</time>',
      );
      expect(format.clock("2026-05-01T22:05:09.123+02:00")).toContain(">01:35:09</time>");
      process.env.TZ = "America/New_York";
      expect(format.utcOffset(new Date("2026-01-15T12:00:00Z"))).toBe("UTC-05:00");
      expect(format.localClock(new Date("2026-01-15T12:00:00Z"))).toBe("07:00:00");
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
    expect(format.when("")).toBe("—");
    expect(format.when("not a time")).toBe("not a time");
  });

  it("tells a run rolled back after a failure from one undone on request", () => {
    expect(format.runStatus({ status: "rolled_back", failure: {} })).toContain("failed, every change undone");
    expect(format.runStatus({ status: "rolled_back" })).toContain("undone on request");
    expect(format.runStatus({ status: "succeeded" })).toBe('<span class="status ok">succeeded</span>');
    expect(format.runStatus({ status: "interrupted", held: { node: "n" } })).toContain(
      "held: resume or undo it",
    );
    expect(format.runStatus({ status: "interrupted" })).toBe('<span class="status bad">interrupted</span>');
  });
});
