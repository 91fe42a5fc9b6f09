import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { indicatorTable } from "./docs-table.ts";
import { INDICATORS } from "./indicators.ts";

describe("docs/learning.md", () => {
  it("lists every indicator with the formula the code uses", () => {
    const page = readFileSync(new URL("../../../docs/learning.md", import.meta.url), "utf8");
    const between = /<!-- indicators:begin[^>]*-->\n\n([\s\S]*?)\n\n<!-- indicators:end -->/.exec(page)?.[1];
    expect(between, "run: node --import tsx src/learning/evidence/docs-table.ts").toBe(indicatorTable());
    expect(INDICATORS.length).toBe(15);
  });
});
