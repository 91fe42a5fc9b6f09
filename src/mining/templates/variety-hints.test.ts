import { describe, expect, it } from "vitest";
import { isDottedName, namesAUser } from "./variety-hints.ts";

describe("variety hints", () => {
  it("takes reverse-DNS names, with a label's colon or a parameter in them, for dotted names", () => {
    for (const t of ["com.apple.cache.daily:", "org.example.Worker", "com.apple.ical.sync.x-<*>:"])
      expect(isDottedName(t)).toBe(true);
    // Two parts, a leading dot, an empty part, a path or a word are not.
    for (const t of ["example.com", ".a.b.c", "a..b.c", "a.b.c.", "/usr/lib/x", "boot", "", "1.2.3"])
      expect(isDottedName(t)).toBe(false);
  });

  it("knows the word user, in any case, and nothing longer", () => {
    expect(["user", "User", "USERNAME", "username"].every(namesAUser)).toBe(true);
    expect(["users", "uid", "user:", undefined].some(namesAUser)).toBe(false);
  });
});
