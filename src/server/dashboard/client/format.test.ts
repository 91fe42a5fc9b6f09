import { describe, expect, it } from "vitest";
import * as format from "./format.ts";

describe("format.ts", () => {
  it("shows an event's data with its quotes as they are, not backslash-escaped", () => {
    expect(format.fields({ observed: 'HTTP 503, body: {"status":"fail"}', attempt: 2 })).toBe(
      'observed: HTTP 503, body: {"status":"fail"} · attempt: 2',
    );
    expect(format.fields(undefined)).toBe("");
  });

  it("writes times in UTC, 24-hour, as the CLI does, whatever the browser's zone", () => {
    expect(format.when("2026-05-01T22:05:09.123+02:00")).toBe("2026-05-01 20:05:09 UTC");
    expect(format.clock("2026-05-01T22:05:09.123+02:00")).toBe("20:05:09");
    expect(format.when("")).toBe("—");
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
