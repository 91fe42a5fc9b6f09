import { describe, expect, it } from "vitest";
import { deprecationHeaders } from "./deprecation.ts";
import { ProblemError } from "./problem-error.ts";

const DEPRECATED = new Date("2026-10-01T00:00:00Z");
const SUNSET = new Date("2027-10-01T00:00:00Z");

function gone(fn: () => unknown): ProblemError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ProblemError) return error;
    throw error;
  }
  throw new Error("expected a 410 problem");
}

describe("deprecationHeaders (CB-23, CB-24)", () => {
  it("sends Deprecation as @epoch-seconds (RFC 9745) and Sunset as an HTTP-date (RFC 8594)", () => {
    const headers = deprecationHeaders(
      { deprecatedAt: DEPRECATED, sunsetAt: SUNSET },
      new Date("2026-11-26T12:00:00Z"),
      "GET /x",
    );
    expect(headers).toEqual({ deprecation: "@1790812800", sunset: "Fri, 01 Oct 2027 00:00:00 GMT" });
    expect(new Date(Number(headers.deprecation?.slice(1)) * 1000)).toEqual(DEPRECATED);
    expect(new Date(headers.sunset as string)).toEqual(SUNSET);
  });

  it("announces a deprecation scheduled in the future", () => {
    expect(deprecationHeaders({ deprecatedAt: DEPRECATED }, new Date("2026-01-01T00:00:00Z"), "x")).toEqual({
      deprecation: "@1790812800",
    });
  });

  it("names the successor in a Link header", () => {
    const headers = deprecationHeaders(
      { deprecatedAt: DEPRECATED, successor: "/api/services" },
      new Date("2026-11-26T00:00:00Z"),
      "x",
    );
    expect(headers.link).toBe('</api/services>; rel="successor-version"');
  });

  it("truncates sub-second deprecation times to whole seconds", () => {
    const headers = deprecationHeaders(
      { deprecatedAt: new Date("2026-10-01T00:00:00.999Z") },
      new Date("2026-10-02T00:00:00Z"),
      "x",
    );
    expect(headers.deprecation).toBe("@1790812800");
  });

  it("answers 410 Gone from the sunset instant on, naming the successor", () => {
    const d = { deprecatedAt: DEPRECATED, sunsetAt: SUNSET, successor: "/api/services" };
    expect(() => deprecationHeaders(d, new Date(SUNSET.getTime() - 1), "GET /x")).not.toThrow();
    for (const now of [SUNSET, new Date(SUNSET.getTime() + 86_400_000 * 400)]) {
      const problem = gone(() => deprecationHeaders(d, now, "GET /api/service-entries"));
      expect(problem.slug).toBe("gone");
      expect(problem.status).toBe(410);
      expect(problem.message).toBe(
        "GET /api/service-entries was retired on 2027-10-01T00:00:00.000Z; use /api/services",
      );
      expect(problem.headers).toEqual({ link: '</api/services>; rel="successor-version"' });
    }
  });

  it("answers 410 without a Link when there is no successor", () => {
    const problem = gone(() =>
      deprecationHeaders({ deprecatedAt: DEPRECATED, sunsetAt: SUNSET }, SUNSET, "API version 0.9.0"),
    );
    expect(problem.message).toBe("API version 0.9.0 was retired on 2027-10-01T00:00:00.000Z");
    expect(problem.headers).toEqual({});
  });
});
