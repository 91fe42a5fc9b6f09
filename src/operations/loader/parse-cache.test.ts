import { describe, expect, it } from "vitest";
import { OperationFileError } from "./errors.ts";
import { DigestCache, parseOperationCached, sourceDigest } from "./parse-cache.ts";

const text = (name: string) => `opsdojo: operation/v1
name: ${name}
steps:
  - name: write
    uses: file.write
    with: { path: /tmp/opsdojo-parse-cache, content: x }
`;

describe("the parse cache", () => {
  it("parses a text once: the same text gives the same value, another text its own", () => {
    const a = parseOperationCached(text("cache-a"), "a.yaml");
    expect(a.name).toBe("cache-a");
    expect(parseOperationCached(text("cache-a"), "elsewhere.yaml")).toBe(a);
    expect(parseOperationCached(text("cache-a"), "x", sourceDigest(text("cache-a")))).toBe(a);
    expect(parseOperationCached(text("cache-b"), "b.yaml")).not.toBe(a);
  });

  it("keeps no failure: a broken text names the file it is given each time", () => {
    const broken = "opsdojo: operation/v1\nname: broken\nsteps: 3\n";
    expect(() => parseOperationCached(broken, "first.yaml")).toThrow(OperationFileError);
    expect(() => parseOperationCached(broken, "second.yaml")).toThrow(/second\.yaml/);
  });

  it("holds at most its bound, dropping the entry used longest ago", () => {
    const cache = new DigestCache<number>(2);
    cache.set("a", 1);
    cache.set("b", 2);
    expect(cache.get("a")).toBe(1); // a is now the younger one
    cache.set("c", 3);
    expect(cache.size).toBe(2);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBe(1);
    let made = 0;
    expect(cache.getOrMake("c", () => ++made)).toBe(3);
    expect(cache.getOrMake("d", () => ++made)).toBe(1);
    expect(made).toBe(1);
  });
});
