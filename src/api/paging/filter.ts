import { ProblemError } from "../problem-error.ts";
import type { FieldSpec, FieldSpecs } from "./fields.ts";

export type FilterOp = "=" | "!=" | "<" | "<=" | ">" | ">=";
export type FilterValue = string | number | boolean;

export interface FilterTerm {
  readonly field: string;
  readonly op: FilterOp;
  readonly value: FilterValue;
}

export const MAX_FILTER_LENGTH = 2000;
const MAX_TERMS = 20;
const OPS: readonly FilterOp[] = ["<=", ">=", "!=", "=", "<", ">"];
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-](\d{2}):(\d{2}))$/;

/**
 * RFC 3339 with a real calendar date and clock time. `Date.parse` alone rolls impossible dates
 * over (`2026-02-30` becomes March 2nd), which would silently filter on another day.
 */
function isTimestamp(text: string): boolean {
  const m = RFC3339.exec(text);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return false;
  if (hour > 23 || minute > 59 || second > 59) return false;
  if (m[9] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)) return false;
  return !Number.isNaN(Date.parse(text));
}

function fail(detail: string): never {
  throw new ProblemError("invalid-filter", detail, {
    errors: [{ detail, pointer: "/filter", in: "query" }],
  });
}

/**
 * Parse the AIP-160 subset: `field op value` terms joined by `AND`. String values are
 * double-quoted (`\"` and `\\` escape), numbers and `true`/`false` are bare. Every field, operator
 * and value is checked against the collection's field specs; nothing reaches SQL unchecked.
 */
export function parseFilter(text: string, specs: FieldSpecs): FilterTerm[] {
  if (text.length > MAX_FILTER_LENGTH) fail(`filter is longer than ${MAX_FILTER_LENGTH} characters`);
  const terms: FilterTerm[] = [];
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && (text[i] === " " || text[i] === "\t")) i++;
  };
  skipSpace();
  if (i === text.length) return terms;
  for (;;) {
    skipSpace();
    const fieldMatch = /^[a-z_][a-z0-9_]*/.exec(text.slice(i));
    if (!fieldMatch) fail(`expected a field name at position ${i + 1}`);
    const field = fieldMatch[0];
    const spec = specs[field];
    if (!spec)
      fail(
        `unknown field "${field}" at position ${i + 1}; filterable fields: ${Object.keys(specs).join(", ")}`,
      );
    i += field.length;
    skipSpace();
    const op = OPS.find((o) => text.startsWith(o, i));
    if (!op) fail(`expected an operator (= != < <= > >=) after "${field}" at position ${i + 1}`);
    i += op.length;
    skipSpace();
    const start = i;
    let raw: FilterValue;
    if (text[i] === '"') {
      let value = "";
      i++;
      for (;;) {
        if (i >= text.length) fail(`unterminated string starting at position ${start + 1}`);
        const ch = text[i] as string;
        if (ch === "\\") {
          const next = text[i + 1];
          if (next !== '"' && next !== "\\")
            fail(`invalid escape at position ${i + 1}; only \\" and \\\\ are allowed`);
          value += next;
          i += 2;
        } else if (ch === '"') {
          i++;
          break;
        } else {
          value += ch;
          i++;
        }
      }
      raw = value;
    } else {
      const bare = /^[^\s"]+/.exec(text.slice(i));
      if (!bare) fail(`expected a value after "${field} ${op}" at position ${i + 1}`);
      i += bare[0].length;
      if (bare[0] === "true" || bare[0] === "false") raw = bare[0] === "true";
      else if (/^-?\d+(\.\d+)?$/.test(bare[0])) raw = Number(bare[0]);
      else
        fail(
          `value "${bare[0].slice(0, 40)}" at position ${start + 1} must be quoted, a number, true or false`,
        );
    }
    terms.push({ field, op, value: checkValue(field, spec, op, raw, start) });
    if (terms.length > MAX_TERMS) fail(`at most ${MAX_TERMS} terms are allowed`);
    skipSpace();
    if (i === text.length) return terms;
    if (!text.startsWith("AND", i) || /[A-Za-z0-9_]/.test(text[i + 3] ?? "")) {
      fail(`expected AND or the end of the filter at position ${i + 1}`);
    }
    i += 3;
  }
}

function checkValue(
  field: string,
  spec: FieldSpec,
  op: FilterOp,
  value: FilterValue,
  at: number,
): FilterValue {
  const where = `"${field}" at position ${at + 1}`;
  switch (spec.type) {
    case "string":
    case "timestamp":
      if (typeof value !== "string") fail(`${where} takes a quoted string`);
      if (spec.type === "timestamp") {
        if (!isTimestamp(value)) fail(`${where} takes an RFC 3339 timestamp`);
        return new Date(value).toISOString();
      }
      if (spec.values && !spec.values.includes(value))
        fail(`${where} takes one of: ${spec.values.join(", ")}`);
      return value;
    case "number":
      if (typeof value !== "number") fail(`${where} takes a number`);
      return value;
    case "boolean":
      if (typeof value !== "boolean") fail(`${where} takes true or false`);
      if (op !== "=" && op !== "!=") fail(`${where} only supports = and !=`);
      return value;
  }
}
