import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { RULE_IDS } from "../model.ts";
import { ruleLink } from "../rules/hints.ts";
import { renderRulePages } from "./rule-pages.ts";

const PAGE = new URL("../../../docs/conformance-rules.md", import.meta.url);

describe("the rule pages", () => {
  it("are what the rules say (regenerate: node --import tsx src/conformance/report/rule-pages.ts docs/conformance-rules.md)", () => {
    expect(readFileSync(PAGE, "utf8")).toBe(renderRulePages());
  });

  it("have a section for every rule, where each result's link points", () => {
    const text = readFileSync(PAGE, "utf8");
    for (const id of RULE_IDS) {
      expect(text).toContain(`\n## ${id}\n`);
      expect(ruleLink(id)).toBe(`docs/conformance-rules.md#${id.toLowerCase()}`);
    }
  });
});
