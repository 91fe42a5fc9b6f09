import { describe, expect, it } from "vitest";
import { compileToken, fitsWithOtherNumbers, generalise, tokenMatches } from "./token-pattern.ts";

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

describe("numbered names beside a parameter", () => {
  it("match digit-blind in a token with a wildcard too, and say so", () => {
    const pattern = compileToken("'{<*>}Copy5/Windows/<*>'");
    expect(tokenMatches(pattern, "'{<*>}Copy7/Windows/<*>'")).toBe(true);
    expect(fitsWithOtherNumbers(pattern, "'{<*>}Copy7/Windows/<*>'")).toBe(true);
    expect(fitsWithOtherNumbers(pattern, "'{<*>}Copy5/Windows/<*>'")).toBe(false);
    // Another name, or another number of digits, is another token.
    expect(tokenMatches(pattern, "'{<*>}Disk5/Windows/<*>'")).toBe(false);
    expect(tokenMatches(pattern, "'{<*>}Copy57/Windows/<*>'")).toBe(false);
    expect(fitsWithOtherNumbers(compileToken("eth3"), "eth7")).toBe(true);
    expect(fitsWithOtherNumbers(compileToken("<*>"), "eth7")).toBe(false);
  });
});
