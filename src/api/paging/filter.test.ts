import { describe, expect, it } from "vitest";
import { ProblemError } from "../problem-error.ts";
import type { FieldSpecs } from "./fields.ts";
import { MAX_FILTER_LENGTH, parseFilter } from "./filter.ts";

const FIELDS: FieldSpecs = {
  name: { type: "string", sortable: true },
  owner: { type: "string", column: "owner_name" },
  lifecycle: { type: "string", values: ["experimental", "production"] },
  created_at: { type: "timestamp", sortable: true },
  replicas: { type: "number" },
  enabled: { type: "boolean" },
};

/** The problem a filter is refused with; fails the test when the filter is accepted. */
function refusal(text: string): ProblemError {
  try {
    const terms = parseFilter(text, FIELDS);
    throw new Error(`filter ${JSON.stringify(text)} was accepted as ${JSON.stringify(terms)}`);
  } catch (error) {
    if (!(error instanceof ProblemError)) throw error;
    return error;
  }
}

describe("parseFilter: accepted forms", () => {
  it("parses nothing from an empty or blank filter", () => {
    expect(parseFilter("", FIELDS)).toEqual([]);
    expect(parseFilter("  \t ", FIELDS)).toEqual([]);
  });

  it("parses every operator", () => {
    for (const op of ["=", "!=", "<", "<=", ">", ">="] as const) {
      expect(parseFilter(`replicas ${op} 3`, FIELDS)).toEqual([{ field: "replicas", op, value: 3 }]);
    }
  });

  it("accepts terms with or without spaces around the operator", () => {
    expect(parseFilter('name="a"', FIELDS)).toEqual([{ field: "name", op: "=", value: "a" }]);
    expect(parseFilter('\tname  >=  "a"  ', FIELDS)).toEqual([{ field: "name", op: ">=", value: "a" }]);
  });

  it("joins terms with AND", () => {
    expect(
      parseFilter('name = "pay" AND owner != "sre" AND replicas > -2.5 AND enabled = true', FIELDS),
    ).toEqual([
      { field: "name", op: "=", value: "pay" },
      { field: "owner", op: "!=", value: "sre" },
      { field: "replicas", op: ">", value: -2.5 },
      { field: "enabled", op: "=", value: true },
    ]);
  });

  it('unescapes \\" and \\\\ inside strings', () => {
    expect(parseFilter('name = "a\\"b\\\\c"', FIELDS)).toEqual([{ field: "name", op: "=", value: 'a"b\\c' }]);
  });

  it("keeps unicode, operators and keywords inside strings as plain text", () => {
    const values = [
      "日本語-サービス",
      "café ☕",
      "x AND y",
      'a = "b"',
      "--",
      "/* c */",
      "'; DROP TABLE x; --",
    ];
    for (const v of values) {
      const quoted = `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
      expect(parseFilter(`name = ${quoted}`, FIELDS)).toEqual([{ field: "name", op: "=", value: v }]);
    }
  });

  it("accepts an enum field's listed values only", () => {
    expect(parseFilter('lifecycle = "production"', FIELDS)).toEqual([
      { field: "lifecycle", op: "=", value: "production" },
    ]);
  });

  it("normalises timestamps to UTC with milliseconds, so they compare as stored text", () => {
    expect(parseFilter('created_at >= "2026-03-01T12:00:00+02:00"', FIELDS)).toEqual([
      { field: "created_at", op: ">=", value: "2026-03-01T10:00:00.000Z" },
    ]);
    expect(parseFilter('created_at < "2026-03-01T00:00:00.5Z"', FIELDS)).toEqual([
      { field: "created_at", op: "<", value: "2026-03-01T00:00:00.500Z" },
    ]);
  });

  it("accepts a boolean with = and !=", () => {
    expect(parseFilter("enabled != false", FIELDS)).toEqual([{ field: "enabled", op: "!=", value: false }]);
  });

  it("accepts exactly 20 terms", () => {
    const text = Array.from({ length: 20 }, (_, i) => `replicas != ${i}`).join(" AND ");
    expect(parseFilter(text, FIELDS)).toHaveLength(20);
  });
});

describe("parseFilter: refusals", () => {
  it("are invalid-filter problems (400) pointing at the filter query parameter", () => {
    const problem = refusal("nope = 1");
    expect(problem.slug).toBe("invalid-filter");
    expect(problem.status).toBe(400);
    expect(problem.errors).toEqual([{ detail: problem.message, pointer: "/filter", in: "query" }]);
  });

  it("names an unknown field and lists the known ones", () => {
    expect(refusal('colour = "red"').message).toBe(
      'unknown field "colour" at position 1; filterable fields: name, owner, lifecycle, created_at, replicas, enabled',
    );
  });

  it("refuses a field that is not lower-case snake_case", () => {
    expect(refusal('Name = "x"').message).toBe("expected a field name at position 1");
    expect(refusal('"name" = "x"').message).toBe("expected a field name at position 1");
  });

  it("refuses a missing or unknown operator", () => {
    for (const text of [
      'name "x"',
      'name == "x"',
      'name ~ "x"',
      'name LIKE "x%"',
      'name <> "x"',
      "name",
      "name !",
    ]) {
      expect(refusal(text).slug, text).toBe("invalid-filter");
    }
    expect(refusal('name LIKE "x%"').message).toBe(
      'expected an operator (= != < <= > >=) after "name" at position 6',
    );
    expect(refusal('name <> "x"').message).toBe(
      'value ">" at position 7 must be quoted, a number, true or false',
    );
    expect(refusal('name ~ "x"').message).toBe(
      'expected an operator (= != < <= > >=) after "name" at position 6',
    );
  });

  it("refuses an unterminated string", () => {
    expect(refusal('name = "abc').message).toBe("unterminated string starting at position 8");
    expect(refusal('name = "abc\\"').message).toBe("unterminated string starting at position 8");
  });

  it('refuses escapes other than \\" and \\\\', () => {
    for (const text of ['name = "a\\nb"', 'name = "a\\u0041"', 'name = "a\\\'"', 'name = "a\\']) {
      expect(refusal(text).message, text).toMatch(/^invalid escape at position \d+/);
    }
  });

  it("refuses a missing value", () => {
    expect(refusal("name =").message).toBe('expected a value after "name =" at position 7');
  });

  it("refuses values of the wrong type", () => {
    expect(refusal("name = 5").message).toBe('"name" at position 8 takes a quoted string');
    expect(refusal("name = true").message).toBe('"name" at position 8 takes a quoted string');
    expect(refusal('replicas = "3"').message).toBe('"replicas" at position 12 takes a number');
    expect(refusal('enabled = "true"').message).toBe('"enabled" at position 11 takes true or false');
    expect(refusal("enabled = 1").message).toBe('"enabled" at position 11 takes true or false');
  });

  it("refuses ordering operators on booleans", () => {
    expect(refusal("enabled > false").message).toBe('"enabled" at position 11 only supports = and !=');
  });

  it("refuses bare words, and numbers in forms it does not read", () => {
    expect(refusal("name = pay").message).toBe(
      'value "pay" at position 8 must be quoted, a number, true or false',
    );
    for (const text of [
      "replicas = 1e3",
      "replicas = 0x10",
      "replicas = .5",
      "replicas = 1.",
      "replicas = NaN",
    ]) {
      expect(refusal(text).message, text).toMatch(/must be quoted, a number, true or false$/);
    }
  });

  it("refuses an enum value that is not listed", () => {
    expect(refusal('lifecycle = "retired"').message).toBe(
      '"lifecycle" at position 13 takes one of: experimental, production',
    );
  });

  it("refuses timestamps that are not RFC 3339", () => {
    for (const value of [
      "2026-03-01",
      "2026-03-01 10:00:00Z",
      "2026-03-01T10:00:00",
      "2026-03-01t10:00:00z",
      "yesterday",
      "1767225600",
      "2026-13-01T00:00:00Z",
    ]) {
      expect(refusal(`created_at > "${value}"`).message, value).toBe(
        '"created_at" at position 14 takes an RFC 3339 timestamp',
      );
    }
    expect(refusal("created_at > 1767225600").message).toBe(
      '"created_at" at position 14 takes a quoted string',
    );
  });

  it("refuses impossible calendar dates and times instead of rolling them over", () => {
    for (const value of [
      "2026-02-30T00:00:00Z",
      "2026-04-31T00:00:00Z",
      "2025-02-29T00:00:00Z",
      "2026-01-01T24:00:00Z",
      "2026-01-01T23:60:00Z",
      "2026-01-01T00:00:00+24:00",
    ]) {
      expect(refusal(`created_at > "${value}"`).message, value).toBe(
        '"created_at" at position 14 takes an RFC 3339 timestamp',
      );
    }
    expect(parseFilter('created_at > "2024-02-29T23:59:59Z"', FIELDS)).toHaveLength(1);
  });

  it("refuses a filter longer than the limit, before reading it", () => {
    const long = `name = "${"x".repeat(MAX_FILTER_LENGTH)}"`;
    expect(refusal(long).message).toBe(`filter is longer than ${MAX_FILTER_LENGTH} characters`);
    const justFits = `name = "${"x".repeat(MAX_FILTER_LENGTH - 9)}"`;
    expect(justFits).toHaveLength(MAX_FILTER_LENGTH);
    expect(parseFilter(justFits, FIELDS)).toHaveLength(1);
  });

  it("refuses more than 20 terms", () => {
    const text = Array.from({ length: 21 }, (_, i) => `replicas != ${i}`).join(" AND ");
    expect(refusal(text).message).toBe("at most 20 terms are allowed");
  });

  it("refuses OR, NOT, parentheses, lower-case and, and a dangling AND", () => {
    expect(refusal('name = "a" OR name = "b"').message).toBe(
      "expected AND or the end of the filter at position 12",
    );
    expect(refusal('name = "a" and owner = "b"').message).toBe(
      "expected AND or the end of the filter at position 12",
    );
    expect(refusal('name = "a" ANDowner = "b"').message).toBe(
      "expected AND or the end of the filter at position 12",
    );
    expect(refusal('NOT name = "a"').message).toBe("expected a field name at position 1");
    expect(refusal('(name = "a")').message).toBe("expected a field name at position 1");
    expect(refusal('name = "a" AND').message).toBe("expected a field name at position 15");
  });
});

describe("parseFilter: hostile input is parsed into plain values or refused, never passed through", () => {
  const hostile: Array<[string, "refused" | FilterLike]> = [
    ['name = "x" OR 1=1', "refused"],
    ["name = 'x' OR '1'='1'", "refused"],
    ['name = "x"; DROP TABLE services', "refused"],
    ['name = "x" -- trailing comment', "refused"],
    ['name = "x" /* comment */', "refused"],
    ['name /* c */ = "x"', "refused"],
    ["name = x OR 1=1", "refused"],
    ["1=1", "refused"],
    ['name = "x"\nAND owner = "y"', "refused"],
    ['name = "x"\u0000', "refused"],
    ['name\u00a0= "x"', "refused"],
    ['ｎame = "x"', "refused"],
    ['owner_name = "x"', "refused"], // the column behind `owner` is not a field
    [
      'name = "a\\"; drop table services; --"',
      { field: "name", op: "=", value: 'a"; drop table services; --' },
    ],
    ["name = \"x' OR '1'='1\"", { field: "name", op: "=", value: "x' OR '1'='1" }],
    ['name = "-- not a comment"', { field: "name", op: "=", value: "-- not a comment" }],
    ['name = "/* nor this */"', { field: "name", op: "=", value: "/* nor this */" }],
    ['name = "\u0000\u202e"', { field: "name", op: "=", value: "\u0000\u202e" }],
  ];

  for (const [text, expected] of hostile) {
    it(`${JSON.stringify(text)} → ${expected === "refused" ? "refused" : "a plain string value"}`, () => {
      if (expected === "refused") expect(refusal(text).slug).toBe("invalid-filter");
      else expect(parseFilter(text, FIELDS)).toEqual([expected]);
    });
  }

  it("never echoes more than 40 characters of an unreadable value", () => {
    const problem = refusal(`name = ${"x".repeat(500)}`);
    expect(problem.message.length).toBeLessThan(120);
  });
});

interface FilterLike {
  field: string;
  op: string;
  value: string | number | boolean;
}
