import { describe, expect, it } from "vitest";
import { FAILED_REPORT as REPORT } from "./test-data.ts";
import { formatText } from "./text.ts";

describe("text reports", () => {
  it("in text list every problem under the rule, the fix, and the coverage with its warning", () => {
    const text = formatText(REPORT);
    expect(text).toContain("  • GET /b answered 404 without a semantic api-version");
    expect(text).toContain("    fix: Add an API-Version header. (docs/conformance-rules.md#cb-02)");
    expect(text).toContain(
      "Generated requests (CB-30): 10, of which 8 valid; 2 reached a handler, 6 were refused by validation\nwarning: only 2 of 8 …",
    );
  });
});
