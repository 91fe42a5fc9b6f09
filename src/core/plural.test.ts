import { describe, expect, it } from "vitest";
import { plural } from "./plural.ts";

describe("plural", () => {
  it("puts the noun in the number of the count", () => {
    expect(plural(1, "replacement")).toBe("1 replacement");
    expect(plural(0, "replacement")).toBe("0 replacements");
    expect(plural(2, "earlier successful run")).toBe("2 earlier successful runs");
    expect(plural(2, "match", "matches")).toBe("2 matches");
  });
});
