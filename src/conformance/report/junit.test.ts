import { describe, expect, it } from "vitest";
import { formatJunit } from "./junit.ts";
import { FAILED_REPORT as REPORT } from "./test-data.ts";

describe("JUnit reports", () => {
  it("in JUnit carry every problem, the fix and the rule's page", () => {
    const xml = formatJunit(REPORT);
    expect(xml).toContain("• GET /a answered 200 without a semantic api-version\nGET http://127.0.0.1:1/a");
    expect(xml).toContain("• GET /b answered 404 without a semantic api-version");
    expect(xml).toContain("fix: Add an API-Version header. (docs/conformance-rules.md#cb-02)");
  });
});
