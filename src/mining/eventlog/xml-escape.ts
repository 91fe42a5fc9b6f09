/**
 * `value` as the content of a double-quoted XML 1.0 attribute value, or as character data: the
 * one XML escaper for everything opsdojo writes (XES, PNML, SVG).
 *
 * Markup characters become entity references; tab, line feed and carriage return become
 * character references, because a parser would otherwise normalise them to spaces. XML 1.0
 * cannot carry the other C0 controls, U+FFFE, U+FFFF or unpaired surrogates at all — not even as
 * references — so each becomes U+FFFD (the replacement character). C1 controls are allowed but
 * invisible, so they are written as references.
 *
 * @example
 * escapeXml('a "b" <c>\n') // 'a &quot;b&quot; &lt;c&gt;&#10;'
 */
export function escapeXml(value: string): string {
  let out = "";
  let plainFrom = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    let replacement: string | undefined;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++; // a valid pair: both halves stay as they are
        continue;
      }
      replacement = "\uFFFD";
    } else if (c >= 0xdc00 && c <= 0xdfff) replacement = "\uFFFD";
    else replacement = escapeUnit(c);
    if (replacement === undefined) continue;
    out += value.slice(plainFrom, i) + replacement;
    plainFrom = i + 1;
  }
  return plainFrom === 0 ? value : out + value.slice(plainFrom);
}

function escapeUnit(c: number): string | undefined {
  switch (c) {
    case 0x26:
      return "&amp;";
    case 0x3c:
      return "&lt;";
    case 0x3e:
      return "&gt;";
    case 0x22:
      return "&quot;";
    case 0x09:
    case 0x0a:
    case 0x0d:
      return `&#${c};`;
    case 0xfffe:
    case 0xffff:
      return "\uFFFD";
  }
  if (c < 0x20) return "\uFFFD";
  if (c >= 0x7f && c <= 0x9f) return `&#x${c.toString(16).toUpperCase()};`;
  return undefined;
}
