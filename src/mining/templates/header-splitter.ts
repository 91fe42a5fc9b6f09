/**
 * A fast path for the common header formats: fields separated by plain text and spaces, with the
 * message last (`<Date> <Time> <Level> <Component>: <Content>`). It takes the same choices the
 * format's regular expression tries first — each field as short as possible, each run of spaces
 * as long as possible — so whenever it finds a split, it is the one the expression would find; when
 * it finds none, the caller asks the expression.
 */

/** A separator between fields: text to find, and whitespace runs (`null`). */
type Separator = readonly (string | null)[];

/** Returns the message of a line, or `undefined` when this fast path cannot tell. */
export type ContentSplitter = (line: string) => string | undefined;

/**
 * A splitter for a format given as the literal parts between its fields (in LogPAI syntax, still
 * escaped) when the message is the last field; `undefined` when a literal part uses more of the
 * regular-expression language than escaped punctuation.
 */
export function compileSplitter(
  literals: readonly string[],
  contentIsLast: boolean,
): ContentSplitter | undefined {
  if (!contentIsLast || (literals[literals.length - 1] ?? "") !== "") return undefined;
  const separators: Separator[] = [];
  for (const literal of literals.slice(0, -1)) {
    const separator = parseLiteral(literal);
    if (separator === undefined) return undefined;
    separators.push(separator);
  }
  const [leading, ...between] = separators;
  if (leading === undefined) return undefined;
  return (line) => {
    let pos = matchAt(line, 0, leading);
    if (pos < 0) return undefined;
    for (const separator of between) {
      pos = findFrom(line, pos, separator);
      if (pos < 0) return undefined;
    }
    return line.slice(pos);
  };
}

function parseLiteral(literal: string): Separator | undefined {
  const parts: (string | null)[] = [];
  let text = "";
  for (let i = 0; i < literal.length; i++) {
    const c = literal[i] ?? "";
    if (c === " ") {
      if (text) parts.push(text);
      text = "";
      if (parts[parts.length - 1] !== null) parts.push(null);
      while (literal[i + 1] === " ") i++;
    } else if (c === "\\") {
      const next = literal[i + 1] ?? "";
      if (!/[[\]|(){}.*+?^$\\/:;,=@#<>"'-]/.test(next)) return undefined;
      text += next;
      i++;
    } else if ("[]|(){}.*+?^$".includes(c)) {
      return undefined;
    } else {
      text += c;
    }
  }
  if (text) parts.push(text);
  return parts;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 12 || c === 11;
}

/** Where `separator` ends when it matches exactly at `at`, or -1. */
function matchAt(line: string, at: number, separator: Separator): number {
  let p = at;
  for (const part of separator) {
    if (part === null) {
      if (p >= line.length || !isSpace(line.charCodeAt(p))) return -1;
      while (p < line.length && isSpace(line.charCodeAt(p))) p++;
    } else {
      if (!line.startsWith(part, p)) return -1;
      p += part.length;
    }
  }
  return p;
}

/** Where the first match of `separator` at or after `from` ends, or -1. */
function findFrom(line: string, from: number, separator: Separator): number {
  const first = separator[0];
  if (first === undefined) return from;
  for (let at = from; at < line.length; at++) {
    if (first === null) {
      while (at < line.length && !isSpace(line.charCodeAt(at))) at++;
    } else {
      at = line.indexOf(first, at);
      if (at < 0) return -1;
    }
    if (at >= line.length) return -1;
    const end = matchAt(line, at, separator);
    if (end >= 0) return end;
  }
  return -1;
}
