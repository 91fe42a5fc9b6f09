import { describe, expect, it } from "vitest";
import { assertIfMatch, computeEtag, noneMatch, quoteEtag } from "./etag.ts";
import { ProblemError } from "./problem-error.ts";

const TAG = computeEtag({ id: "svc_1", name: "pay" });

describe("computeEtag", () => {
  it("is stable for the same representation and changes with any field", () => {
    expect(computeEtag({ id: "svc_1", name: "pay" })).toBe(TAG);
    expect(computeEtag({ id: "svc_1", name: "pay2" })).not.toBe(TAG);
    expect(computeEtag({ id: "svc_1", name: "pay", deleted_at: "2026-01-01T00:00:00.000Z" })).not.toBe(TAG);
  });

  it("is a strong tag's opaque part: no quotes, commas or W/ prefix", () => {
    expect(TAG).toMatch(/^[A-Za-z0-9_-]{27}$/);
    expect(quoteEtag(TAG)).toBe(`"${TAG}"`);
  });
});

describe("noneMatch (If-None-Match, weak comparison)", () => {
  it("is true without the header", () => {
    expect(noneMatch(undefined, TAG)).toBe(true);
  });

  it("is false when the tag is listed, strong or weak, alone or among others", () => {
    for (const header of [`"${TAG}"`, `W/"${TAG}"`, `"other", "${TAG}"`, `"other",W/"${TAG}"`, "*"]) {
      expect(noneMatch(header, TAG), header).toBe(false);
    }
  });

  it("is true when the tag is not listed, or listed unquoted", () => {
    for (const header of ['"other"', TAG, `"${TAG}x"`, `"${TAG.slice(1)}"`, ""]) {
      expect(noneMatch(header, TAG), header).toBe(true);
    }
  });
});

describe("assertIfMatch (If-Match, strong comparison)", () => {
  it("passes without the header, with *, or with the current tag listed", () => {
    for (const header of [undefined, "*", `"${TAG}"`, `"old", "${TAG}"`, ` "${TAG}" `]) {
      expect(() => assertIfMatch(header, TAG), String(header)).not.toThrow();
    }
  });

  it("answers 412 for a stale, weak or unquoted tag", () => {
    for (const header of ['"stale"', `W/"${TAG}"`, TAG, ""]) {
      let problem: unknown;
      try {
        assertIfMatch(header, TAG);
      } catch (error) {
        problem = error;
      }
      expect(problem, header).toBeInstanceOf(ProblemError);
      expect((problem as ProblemError).slug).toBe("precondition-failed");
      expect((problem as ProblemError).status).toBe(412);
    }
  });

  it("quotes at most 80 characters of the header back", () => {
    try {
      assertIfMatch(`"${"x".repeat(5000)}"`, TAG);
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message.length).toBeLessThan(200);
    }
  });
});
