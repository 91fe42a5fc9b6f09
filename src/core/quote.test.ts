import { describe, expect, it } from "vitest";
import { quote } from "./quote.ts";

describe("quote", () => {
  it("quotes text with the quote it does not contain, never backslash-escaping quotes", () => {
    expect(quote("release=1.5.0")).toBe('"release=1.5.0"');
    expect(quote('"release":"1.5.0"')).toBe(`'"release":"1.5.0"'`);
    expect(quote("it's")).toBe(`"it's"`);
    // Both kinds: JSON, the only unambiguous way left.
    expect(quote(`say "it's"`)).toBe(JSON.stringify(`say "it's"`));
  });

  it("keeps a message on its lines and writes other values as JSON", () => {
    expect(quote("a\nb\u001b")).toBe('"a\\nb\\u001b"');
    expect(quote(8080)).toBe("8080");
    expect(quote(null)).toBe("null");
    expect(quote({ release: "1.5.0" })).toBe('{"release":"1.5.0"}');
  });
});
