import { messageOf } from "../../core/index.ts";
import { InvalidLogFormatError } from "./errors.ts";
import { compileSplitter } from "./header-splitter.ts";
import type { LogFormat } from "./model.ts";

/** The field that holds the message to parse; every format has it. */
export const CONTENT_FIELD = "Content";

/**
 * Compile a header format in the syntax of LogPAI's logparser benchmark: `<Name>` captures a
 * field, `<Content>` is the message, and the rest is a regular expression in which a run of
 * spaces matches any run of whitespace. Formats from that benchmark work as they are, including
 * their regular-expression parts (`(\[<PID>\])?`).
 *
 * @example
 * const f = compileLogFormat("<Date> <Time> <Level> <Component>: <Content>");
 * f.parse("2024-01-02 10:00:00 INFO db: connected")?.Component; // "db"
 */
export function compileLogFormat(source: string): LogFormat {
  const pieces = source.split(/(<[^<>]+>)/);
  const fields: string[] = [];
  const literals: string[] = [];
  let pattern = "^";
  for (const piece of pieces) {
    const field = /^<([^<>]+)>$/.exec(piece)?.[1];
    if (field === undefined) {
      literals.push(piece);
      pattern += piece.replace(/ +/g, "\\s+");
      continue;
    }
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(field)) {
      throw new InvalidLogFormatError(
        source,
        `the field name <${field}> is not a plain name (letters, digits, _)`,
      );
    }
    if (fields.includes(field)) throw new InvalidLogFormatError(source, `the field <${field}> appears twice`);
    fields.push(field);
    pattern += `(?<${field}>.*?)`;
  }
  if (!fields.includes(CONTENT_FIELD)) {
    throw new InvalidLogFormatError(source, "it has no <Content> field, the message to parse");
  }
  // The last field may take the rest greedily: the same split, without backtracking char by char.
  if (fields[fields.length - 1] === CONTENT_FIELD && pattern.endsWith(`(?<${CONTENT_FIELD}>.*?)`)) {
    pattern = `${pattern.slice(0, -3)}.*)`;
  }
  pattern += "$";
  let regex: RegExp;
  try {
    regex = new RegExp(pattern);
  } catch (error) {
    throw new InvalidLogFormatError(source, `it is not a valid regular expression (${messageOf(error)})`);
  }
  // Numbered groups are faster to read than `groups`; map them to names once per match.
  const unnamed = new RegExp(pattern.replace(/\(\?<[A-Za-z_][A-Za-z0-9_]*>/g, "("));
  const groupIndex = groupNumbers(pattern, fields);
  const contentGroup = groupIndex[fields.indexOf(CONTENT_FIELD)] ?? 0;
  const fast = compileSplitter(literals, fields[fields.length - 1] === CONTENT_FIELD);
  return {
    source,
    fields,
    parse(line) {
      const m = regex.exec(line);
      if (m === null) return undefined;
      const out: Record<string, string> = {};
      for (const f of fields) out[f] = m.groups?.[f] ?? "";
      return out;
    },
    content(line) {
      const quick = fast?.(line);
      if (quick !== undefined) return quick;
      const m = unnamed.exec(line);
      return m === null ? undefined : (m[contentGroup] ?? "");
    },
  };
}

/**
 * The group number of each field in the pattern once names are dropped. User parts may contain
 * their own groups (`(\[<PID>\])?`), so groups are counted in the source: every `(` that is not
 * escaped, not inside `[…]` and not `(?:`, `(?=`, `(?!`, `(?<=`, `(?<!`.
 */
function groupNumbers(source: string, fields: readonly string[]): number[] {
  const numbers: number[] = [];
  let group = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") {
      i++;
    } else if (inClass) {
      if (c === "]") inClass = false;
    } else if (c === "[") {
      inClass = true;
    } else if (c === "(") {
      const name = /^\(\?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(source.slice(i, i + 200))?.[1];
      if (source[i + 1] === "?" && name === undefined) continue;
      group++;
      if (name !== undefined) numbers[fields.indexOf(name)] = group;
    }
  }
  return numbers;
}
