import { describe, expect, it } from "vitest";
import { segments, stripSvg } from "./health-strip.ts";

const T = (hhmm: string) => Date.parse(`2026-07-01T${hhmm}:00Z`);
const event = (at: string, previous_status: string, status: string, detail?: string) => ({
  id: `hev_${at}`,
  base_url: "http://a:1",
  at: `2026-07-01T${at}:00.000Z`,
  previous_status: previous_status as "pass",
  status: status as "pass",
  ...(detail ? { detail } : {}),
});

describe("segments", () => {
  it("starts with the status before the window's first transition and ends at the window's end", () => {
    const parts = segments(
      [
        event("14:00", "fail", "pass"),
        event("12:00", "pass", "fail", "HTTP 503"),
        event("01:00", "unknown", "pass"),
      ],
      "pass",
      T("10:00"),
      T("18:00"),
    );
    // The 01:00 transition is before the window: it is not drawn, the 12:00 one's previous status is.
    expect(parts).toEqual([
      { status: "pass", from: T("10:00"), to: T("12:00") },
      { status: "fail", from: T("12:00"), to: T("14:00"), detail: "HTTP 503" },
      { status: "pass", from: T("14:00"), to: T("18:00") },
    ]);
  });

  it("is one segment of the current status when nothing changed in the window", () => {
    expect(segments([], "warn", T("10:00"), T("11:00"))).toEqual([
      { status: "warn", from: T("10:00"), to: T("11:00") },
    ]);
  });

  it("draws the time before an instance's first poll as unknown", () => {
    const parts = segments([event("10:30", "unknown", "pass")], "pass", T("10:00"), T("11:00"));
    expect(parts.map((p) => p.status)).toEqual(["unknown", "pass"]);
  });
});

describe("stripSvg", () => {
  it("draws a rect per segment, coloured by tone, across the whole width, with the instants on hover", () => {
    const parts = segments([event("12:00", "pass", "fail", "HTTP <503>")], "fail", T("10:00"), T("14:00"));
    const svg = stripSvg(parts, T("10:00"), T("14:00"));
    expect(svg.match(/<rect /g)).toHaveLength(2);
    expect(svg).toContain('class="seg ok" data-status="pass" x="0.00" y="0" width="500.00"');
    expect(svg).toContain('class="seg bad" data-status="fail" x="500.00" y="0" width="500.00"');
    expect(svg).toContain("— HTTP &#60;503&#62;</title>");
    expect(svg).not.toContain("style=");
  });
});
