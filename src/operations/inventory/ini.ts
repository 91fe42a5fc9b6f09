import { messageOf } from "../../core/index.ts";
import { InventoryBuilder } from "./builder.ts";
import type { InventoryValue } from "./model.ts";
import { expandHostRange } from "./ranges.ts";

type Section = { kind: "hosts" | "vars" | "children"; group: string };

/**
 * Reads Ansible's INI inventory as Ansible does: `[group]` host lines with `key=value`
 * variables (Python-like literals: 22 is a number, True a boolean, quotes group words),
 * `[group:vars]` (values are strings), `[group:children]`, hosts before any section are
 * ungrouped, `host:port`, ranges `web[01:20]`, `#` and `;` comments.
 */
export function readAnsibleIni(file: string, text: string): InventoryBuilder {
  const builder = new InventoryBuilder(file, "ansible-ini");
  let section: Section = { kind: "hosts", group: "ungrouped" };
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    const where = { line: index + 1, column: raw.length - raw.trimStart().length + 1 };
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    if (line.startsWith("[")) {
      const header = /^\[([^\]:]+)(?::(vars|children))?\]\s*(?:[#;].*)?$/.exec(line);
      if (header === null) {
        builder.problem(where, `section header ${line}: expected [group], [group:vars] or [group:children]`);
        section = { kind: "hosts", group: "" };
        continue;
      }
      const group = header[1]?.trim() ?? "";
      section = { kind: (header[2] as Section["kind"] | undefined) ?? "hosts", group };
      builder.group(group, where);
      continue;
    }
    if (section.group === "") continue; // under a bad header: already reported once
    if (section.kind === "children") builder.child(section.group, line.split(/\s+/)[0] ?? "", where);
    else if (section.kind === "vars") groupVar(builder, section.group, line, where);
    else hostLine(builder, section.group, line, where);
  }
  return builder;
}

function groupVar(
  builder: InventoryBuilder,
  group: string,
  line: string,
  where: { line: number; column: number },
) {
  const eq = line.indexOf("=");
  if (eq <= 0) {
    builder.problem(where, `expected name=value in [${group}:vars]`);
    return;
  }
  const name = line.slice(0, eq).trim();
  const value = literal(line.slice(eq + 1).trim());
  const draft = builder.group(group, where);
  if (draft !== undefined) draft.vars[name] = value;
}

function hostLine(
  builder: InventoryBuilder,
  group: string,
  line: string,
  where: { line: number; column: number },
) {
  let words: string[];
  try {
    words = splitWords(line);
  } catch (error) {
    builder.problem(where, messageOf(error));
    return;
  }
  const [pattern = "", ...assignments] = words;
  const vars: Record<string, InventoryValue> = {};
  for (const word of assignments) {
    const eq = word.indexOf("=");
    if (eq <= 0) {
      builder.problem(where, `"${word}": expected name=value after the host name`);
      return;
    }
    vars[word.slice(0, eq)] = literal(word.slice(eq + 1));
  }
  // `host:2222` sets the port, as Ansible reads it (an IPv6 address has more than one colon).
  const port = /^([^:]+):([0-9]+)$/.exec(pattern);
  if (port !== null) vars.ansible_port = Number(port[2]);
  let names: string[];
  try {
    names = expandHostRange(port === null ? pattern : (port[1] ?? ""));
  } catch (error) {
    builder.problem(where, messageOf(error));
    return;
  }
  for (const name of names) {
    const own = builder.host(name, where, group);
    if (own !== undefined) Object.assign(own, vars);
  }
}

/** Words as a POSIX shell splits them, enough for host lines: quotes, backslashes, `#` comments. */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
      else if (c === "\\" && quote === '"' && i + 1 < line.length) word = (word ?? "") + (line[++i] ?? "");
      else word = (word ?? "") + c;
    } else if (c === '"' || c === "'") {
      quote = c;
      word ??= "";
    } else if (c === "\\" && i + 1 < line.length) {
      word = (word ?? "") + (line[++i] ?? "");
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "#" && word === undefined) {
      break;
    } else {
      word = (word ?? "") + c;
    }
  }
  if (quote !== undefined) throw new Error(`unclosed ${quote} quote`);
  if (word !== undefined) words.push(word);
  return words;
}

/**
 * Values as Ansible reads them in both host lines and `[group:vars]`, as Python literals: 22 and
 * 1.5 are numbers (0755 is text: Python 3 refuses the leading zero), True/False booleans, None
 * null, a quoted string its contents, `[1, 2]` a list; anything else is text as written.
 */
export function literal(text: string): InventoryValue {
  if (/^-?(0|[1-9][0-9]*)$/.test(text) && Number.isSafeInteger(Number(text))) return Number(text);
  if (/^-?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$/.test(text)) return Number(text);
  if (text === "True") return true;
  if (text === "False") return false;
  if (text === "None") return null;
  const first = text[0];
  if (text.length >= 2 && (first === '"' || first === "'") && text.endsWith(first)) return text.slice(1, -1);
  if (first === "[" || first === "{") {
    try {
      return JSON.parse(text) as InventoryValue;
    } catch {
      return text;
    }
  }
  return text;
}
