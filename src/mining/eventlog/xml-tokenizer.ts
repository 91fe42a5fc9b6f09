/**
 * A small streaming XML tokenizer for the XML that event logs and Petri nets use: elements,
 * attributes, text, comments, CDATA, processing instructions and a DOCTYPE (skipped). It works
 * on bytes as they arrive, so memory stays bounded by the largest single tag, not the file; values
 * are decoded into fresh strings, so nothing keeps a chunk of the file alive.
 *
 * @example
 * const t = new XmlTokenizer((tok) => console.log(tok));
 * t.push(Buffer.from('<log><trace a="1"/></log>'));
 * t.end();
 */

export type XmlToken =
  | {
      readonly kind: "open";
      readonly name: string;
      readonly attrs: Record<string, string>;
      readonly empty: boolean;
    }
  | { readonly kind: "close"; readonly name: string }
  | { readonly kind: "text"; readonly text: string };

/** Malformed XML at a line (counted from 1). */
export class XmlSyntaxError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(message);
    this.name = "XmlSyntaxError";
    this.line = line;
  }
}

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QMARK = 0x3f;
const NL = 0x0a;
const AMP = 0x26;
const EQ = 0x3d;
const DQ = 0x22;
const SQ = 0x27;

const isSpace = (b: number) => b === 0x20 || b === 0x09 || b === NL || b === 0x0d;

const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** Replace the five named entities and numeric character references. */
export function decodeEntities(s: string): string {
  if (!s.includes("&")) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, ref: string) => {
    if (ref.startsWith("#x")) return String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
    if (ref.startsWith("#")) return String.fromCodePoint(Number.parseInt(ref.slice(1), 10));
    return NAMED[ref] ?? whole;
  });
}

function countNewlines(buf: Buffer, from: number, to: number): number {
  let n = 0;
  let i = buf.indexOf(NL, from);
  while (i !== -1 && i < to) {
    n++;
    i = buf.indexOf(NL, i + 1);
  }
  return n;
}

export class XmlTokenizer {
  readonly #onToken: (token: XmlToken) => void;
  readonly #text: boolean;
  #pending: Buffer = Buffer.alloc(0);
  #linesBefore = 0;
  readonly #stack: string[] = [];
  #sawRoot = false;
  readonly #names: (string | undefined)[] = new Array(1024);

  /** `text: true` also reports non-blank text between tags (PNML needs it; XES does not). */
  constructor(onToken: (token: XmlToken) => void, options: { text?: boolean } = {}) {
    this.#onToken = onToken;
    this.#text = options.text ?? false;
  }

  push(chunk: Buffer): void {
    const buf = this.#pending.length > 0 ? Buffer.concat([this.#pending, chunk]) : chunk;
    const pos = this.#scan(buf, false);
    this.#linesBefore += countNewlines(buf, 0, pos);
    // Copy the rest, so the chunk it came from can be collected.
    this.#pending = pos < buf.length ? Buffer.from(buf.subarray(pos)) : Buffer.alloc(0);
  }

  end(): void {
    const buf = this.#pending;
    const pos = this.#scan(buf, true);
    if (pos < buf.length) throw this.#error(buf, pos, "unexpected end of file inside markup");
    this.#linesBefore += countNewlines(buf, 0, pos);
    this.#pending = Buffer.alloc(0);
    if (this.#stack.length > 0) {
      throw new XmlSyntaxError(
        this.#linesBefore + 1,
        `unexpected end of file: <${this.#stack.at(-1)}> is not closed`,
      );
    }
    if (!this.#sawRoot) throw new XmlSyntaxError(this.#linesBefore + 1, "no XML element found");
  }

  /** The line the tokenizer has consumed up to (1-based). */
  get line(): number {
    return this.#linesBefore + 1;
  }

  #error(buf: Buffer, at: number, message: string): XmlSyntaxError {
    return new XmlSyntaxError(this.#linesBefore + countNewlines(buf, 0, at) + 1, message);
  }

  /** Tokenize what is complete in `buf`; returns where the incomplete rest starts. */
  #scan(buf: Buffer, final: boolean): number {
    let pos = 0;
    const len = buf.length;
    while (pos < len) {
      const lt = buf.indexOf(LT, pos);
      if (lt === -1) {
        if (!final) return pos;
        this.#textBetween(buf, pos, len);
        return len;
      }
      if (lt > pos) this.#textBetween(buf, pos, lt);
      pos = lt;
      // Not enough bytes to tell `<!--` from `<![CDATA[`: wait for more.
      if (!final && len - lt < 9) return pos;
      const next = buf[lt + 1];
      if (next === BANG) {
        if (buf[lt + 2] === 0x2d && buf[lt + 3] === 0x2d) {
          const close = buf.indexOf("-->", lt + 4, "latin1");
          if (close === -1) return pos;
          pos = close + 3;
        } else if (buf.toString("latin1", lt + 2, lt + 9) === "[CDATA[") {
          const close = buf.indexOf("]]>", lt + 9, "latin1");
          if (close === -1) return pos;
          if (this.#text && this.#stack.length > 0) {
            this.#onToken({ kind: "text", text: buf.toString("utf8", lt + 9, close) });
          }
          pos = close + 3;
        } else {
          const close = buf.indexOf(GT, lt + 2);
          if (close === -1) return pos;
          pos = close + 1;
        }
        continue;
      }
      if (next === QMARK) {
        const close = buf.indexOf("?>", lt + 2, "latin1");
        if (close === -1) return pos;
        pos = close + 2;
        continue;
      }
      const gt = findTagEnd(buf, lt + 1);
      if (gt === -1) return pos;
      this.#tag(buf, lt + 1, gt);
      pos = gt + 1;
    }
    return pos;
  }

  #textBetween(buf: Buffer, from: number, to: number): void {
    let i = from;
    while (i < to && isSpace(buf[i] as number)) i++;
    if (i === to) return;
    if (this.#stack.length === 0) throw this.#error(buf, i, "text outside the root element");
    if (this.#text) this.#onToken({ kind: "text", text: decodeEntities(buf.toString("utf8", from, to)) });
  }

  /**
   * Element and attribute names repeat endlessly (`string`, `key`, `value`): a small table of
   * recent names, checked byte by byte, saves decoding them again.
   */
  #name(buf: Buffer, from: number, to: number): string {
    const len = to - from;
    if (len === 0 || len > 32) return buf.toString("utf8", from, to);
    const slot = (len * 31 + (buf[from] as number) * 7 + (buf[to - 1] as number)) & 1023;
    const cached = this.#names[slot];
    if (cached !== undefined && cached.length === len) {
      let same = true;
      for (let i = 0; i < len; i++) {
        if (cached.charCodeAt(i) !== buf[from + i]) {
          same = false;
          break;
        }
      }
      if (same) return cached;
    }
    const name = buf.toString("utf8", from, to);
    this.#names[slot] = name;
    return name;
  }

  /** The bytes between `<` and `>`. */
  #tag(buf: Buffer, from: number, to: number): void {
    if (buf[from] === SLASH) {
      let end = to;
      while (end > from + 1 && isSpace(buf[end - 1] as number)) end--;
      const name = this.#name(buf, from + 1, end);
      const open = this.#stack.pop();
      if (open !== name) {
        throw this.#error(
          buf,
          from,
          open === undefined ? `</${name}> closes nothing` : `</${name}> found where </${open}> was expected`,
        );
      }
      this.#onToken({ kind: "close", name });
      return;
    }
    const empty = buf[to - 1] === SLASH;
    const stop = empty ? to - 1 : to;
    let i = from;
    while (i < stop && !isSpace(buf[i] as number)) i++;
    if (i === from) throw this.#error(buf, from, "a tag without a name");
    const name = this.#name(buf, from, i);
    const attrs: Record<string, string> = {};
    while (i < stop) {
      while (i < stop && isSpace(buf[i] as number)) i++;
      if (i >= stop) break;
      const nameStart = i;
      while (i < stop && buf[i] !== EQ && !isSpace(buf[i] as number)) i++;
      const attrName = this.#name(buf, nameStart, i);
      while (i < stop && isSpace(buf[i] as number)) i++;
      if (buf[i] !== EQ) throw this.#error(buf, i, `attribute ${attrName} of <${name}> has no value`);
      i++;
      while (i < stop && isSpace(buf[i] as number)) i++;
      const quote = buf[i];
      if (quote !== DQ && quote !== SQ)
        throw this.#error(buf, i, `attribute ${attrName} of <${name}> is not quoted`);
      const valueEnd = buf.indexOf(quote, i + 1);
      if (valueEnd === -1 || valueEnd >= stop) {
        throw this.#error(buf, i, `attribute ${attrName} of <${name}> is not closed`);
      }
      let hasAmp = false;
      for (let k = i + 1; k < valueEnd; k++) {
        if (buf[k] === AMP) {
          hasAmp = true;
          break;
        }
      }
      const value = buf.toString("utf8", i + 1, valueEnd);
      attrs[attrName] = hasAmp ? decodeEntities(value) : value;
      i = valueEnd + 1;
    }
    if (this.#stack.length === 0) {
      if (this.#sawRoot) throw this.#error(buf, from, `a second root element <${name}>`);
      this.#sawRoot = true;
    }
    if (!empty) this.#stack.push(name);
    this.#onToken({ kind: "open", name, attrs, empty });
    if (empty) this.#onToken({ kind: "close", name });
  }
}

/** The `>` that ends a tag starting at `from`, skipping quoted attribute values; -1 if not yet here. */
function findTagEnd(buf: Buffer, from: number): number {
  let quote = 0;
  for (let i = from; i < buf.length; i++) {
    const b = buf[i] as number;
    if (quote !== 0) {
      if (b === quote) quote = 0;
    } else if (b === DQ || b === SQ) {
      quote = b;
    } else if (b === GT) {
      return i;
    }
  }
  return -1;
}
