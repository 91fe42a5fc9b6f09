import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseXml } from "../../../test/support/xml-reader.ts";
import { escapeXml } from "./xml-escape.ts";

/** What XML 1.0 can carry of `s`: every character it cannot becomes U+FFFD. */
function representable(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const next = s.charCodeAt(i + 1);
    if (c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      out += s.slice(i, i + 2);
      i++;
    } else if (
      (c < 0x20 && c !== 0x9 && c !== 0xa && c !== 0xd) ||
      (c >= 0xd800 && c <= 0xdfff) ||
      c === 0xfffe ||
      c === 0xffff
    ) {
      out += "\uFFFD";
    } else out += s[i];
  }
  return out;
}

const roundTrip = (s: string) => parseXml(`<a v="${escapeXml(s)}"/>`).attributes.v;

describe("escapeXml", () => {
  it("escapes markup and keeps tabs, newlines and carriage returns through attribute normalisation", () => {
    expect(escapeXml(`a & b <c> "d" 'e'`)).toBe("a &amp; b &lt;c&gt; &quot;d&quot; 'e'");
    expect(escapeXml("line 1\r\nline 2\tend")).toBe("line 1&#13;&#10;line 2&#9;end");
    expect(roundTrip("line 1\r\nline 2\tend")).toBe("line 1\r\nline 2\tend");
  });

  it("replaces what XML 1.0 cannot carry with U+FFFD and writes C1 controls as references", () => {
    expect(escapeXml("nul\u0000 bell\u0007 esc\u001b")).toBe("nul\uFFFD bell\uFFFD esc\uFFFD");
    expect(escapeXml("\uFFFE\uFFFF")).toBe("\uFFFD\uFFFD");
    expect(escapeXml("lone \uD800 and \uDC00")).toBe("lone \uFFFD and \uFFFD");
    expect(escapeXml("pair \uD83D\uDE80")).toBe("pair \uD83D\uDE80");
    expect(escapeXml("del\u007F nel\u0085")).toBe("del&#x7F; nel&#x85;");
    expect(roundTrip("del\u007F nel\u0085")).toBe("del\u007F nel\u0085");
  });

  it("returns plain text unchanged", () => {
    const plain = "write-config on app-1 (täst ✓)";
    expect(escapeXml(plain)).toBe(plain);
  });

  it("round-trips any string through a strict XML parser, losing only what XML cannot carry", () => {
    const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: anyUnit }), fc.string({ unit: "binary" })), (s) => {
        expect(roundTrip(s)).toBe(representable(s));
      }),
      { numRuns: 500 },
    );
  });
});
