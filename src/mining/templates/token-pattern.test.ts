import { describe, expect, it } from "vitest";
import { compileToken, generalise, tokenMatches } from "./token-pattern.ts";

describe("generalise", () => {
  it("keeps the shared prefix and suffix cut at punctuation", () => {
    expect(generalise(["user=alice,", "user=bob,"])).toBe("user=<*>,");
    expect(generalise(["alice", "alex"])).toBe("<*>");
  });

  it("writes one wildcard where a shared part already ends or starts with one", () => {
    // Two numbered names whose numbers are parameters: `[Thunderbird_A<*>]`, `[Thunderbird_B<*>]`.
    expect(generalise(["[Thunderbird_A<*>]", "[Thunderbird_B<*>]"])).toBe("[<*>]");
    expect(generalise(["x<*>", "y<*>"])).toBe("<*>");
    expect(generalise(["(<*>a", "(<*>b"])).toBe("(<*>");
  });

  it("gives a pattern that the tokens it came from fit", () => {
    const tokens = ["[Thunderbird_A3]", "[Thunderbird_B7]", "[x]"];
    const pattern = compileToken(generalise(tokens));
    for (const t of tokens) expect(tokenMatches(pattern, t)).toBe(true);
  });
});
