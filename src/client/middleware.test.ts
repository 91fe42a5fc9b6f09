import { describe, expect, it } from "vitest";
import { describeDeprecation, retryAfterMs } from "./middleware.ts";

describe("retryAfterMs", () => {
  const now = new Date("2026-11-26T12:00:00Z");
  it("reads delay-seconds", () => {
    expect(retryAfterMs("3", now)).toBe(3000);
    expect(retryAfterMs(" 0 ", now)).toBe(0);
  });
  it("reads an HTTP-date as the time left until it, never negative", () => {
    expect(retryAfterMs("Thu, 26 Nov 2026 12:00:05 GMT", now)).toBe(5000);
    expect(retryAfterMs("Thu, 26 Nov 2026 11:59:00 GMT", now)).toBe(0);
  });
  it("gives up on anything else, so the 429 reaches the caller", () => {
    expect(retryAfterMs(null, now)).toBeUndefined();
    expect(retryAfterMs("soon", now)).toBeUndefined();
    expect(retryAfterMs("-1", now)).toBeUndefined();
  });
});

describe("describeDeprecation", () => {
  it("says what, since when, until when and what instead, as far as known", () => {
    expect(
      describeDeprecation({
        operation: "GET /a",
        deprecatedAt: new Date("2026-10-01T00:00:00Z"),
        sunsetAt: new Date("2027-10-01T00:00:00Z"),
        successor: "/b",
      }),
    ).toBe("GET /a is deprecated since 2026-10-01; it stops working on 2027-10-01; use /b");
    expect(describeDeprecation({ operation: "GET /a" })).toBe("GET /a is deprecated");
  });
});
