import { describe, expect, it } from "vitest";
import { XmlSyntaxError, type XmlToken, XmlTokenizer } from "./xml-tokenizer.ts";

function tokens(text: string, chunkSize: number, withText = false): XmlToken[] {
  const out: XmlToken[] = [];
  const t = new XmlTokenizer((tok) => out.push(tok), { text: withText });
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += chunkSize) t.push(bytes.subarray(i, i + chunkSize));
  t.end();
  return out;
}

const DOC = `<?xml version="1.0"?>
<!-- a comment with <tags> inside -->
<log a="1" b='two &amp; &#x263A;'>
  <trace><string key="k" value="a &lt; b"/></trace>
  <text><![CDATA[raw <x>]]></text>
  <text>caf\u00e9 &gt; 1</text>
</log>`;

describe("XmlTokenizer", () => {
  it("reports the same tokens whatever the chunk boundaries, multi-byte characters included", () => {
    const whole = tokens(DOC, 1 << 20, true);
    expect(whole[0]).toEqual({
      kind: "open",
      name: "log",
      attrs: { a: "1", b: "two & \u263A" },
      empty: false,
    });
    expect(whole).toContainEqual({
      kind: "open",
      name: "string",
      attrs: { key: "k", value: "a < b" },
      empty: true,
    });
    expect(whole).toContainEqual({ kind: "text", text: "raw <x>" });
    expect(whole).toContainEqual({ kind: "text", text: "caf\u00e9 > 1" });
    for (const size of [1, 2, 3, 7, 13]) expect(tokens(DOC, size, true)).toEqual(whole);
  });

  it("refuses a mismatched closing tag with its line", () => {
    let error: unknown;
    try {
      tokens("<log>\n<trace>\n</event>\n</log>", 4);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(XmlSyntaxError);
    expect((error as XmlSyntaxError).line).toBe(3);
    expect((error as Error).message).toBe("</event> found where </trace> was expected");
  });

  it("refuses a file that ends inside an element", () => {
    expect(() => tokens("<log><trace>", 100)).toThrow(/<trace> is not closed/);
  });
});
