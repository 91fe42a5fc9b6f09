import { describe, expect, it } from "vitest";
import { ProblemError } from "../problem-error.ts";
import type { FieldSpecs } from "./fields.ts";
import { parseSort } from "./sort.ts";

const FIELDS: FieldSpecs = {
  name: { type: "string", sortable: true },
  owner: { type: "string", sortable: true, column: "owner_name" },
  created_at: { type: "timestamp", sortable: true },
  description: { type: "string" },
};

function refusal(text: string): ProblemError {
  try {
    const keys = parseSort(text, FIELDS);
    throw new Error(`sort ${JSON.stringify(text)} was accepted as ${JSON.stringify(keys)}`);
  } catch (error) {
    if (!(error instanceof ProblemError)) throw error;
    return error;
  }
}

describe("parseSort", () => {
  it("returns no keys when there is no sort", () => {
    expect(parseSort(undefined, FIELDS)).toEqual([]);
    expect(parseSort("", FIELDS)).toEqual([]);
  });

  it("reads field (ascending) and -field (descending), several joined by commas", () => {
    expect(parseSort("name", FIELDS)).toEqual([{ field: "name", descending: false }]);
    expect(parseSort("-created_at", FIELDS)).toEqual([{ field: "created_at", descending: true }]);
    expect(parseSort("owner,-name", FIELDS)).toEqual([
      { field: "owner", descending: false },
      { field: "name", descending: true },
    ]);
  });

  it("keeps the first mention of a field repeated", () => {
    expect(parseSort("name,-name", FIELDS)).toEqual([{ field: "name", descending: false }]);
  });

  it("refuses unknown and unsortable fields, listing the sortable ones", () => {
    for (const text of ["colour", "-description", "id", "owner_name"]) {
      const problem = refusal(text);
      expect(problem.slug).toBe("invalid-filter");
      expect(problem.status).toBe(400);
      expect(problem.message).toBe(
        `cannot sort on "${text.replace(/^-/, "")}"; sortable fields: name, owner, created_at`,
      );
      expect(problem.errors).toEqual([{ detail: problem.message, pointer: "/sort", in: "query" }]);
    }
  });

  it("refuses malformed keys: empty parts, double signs, +, spaces, SQL", () => {
    for (const text of [
      ",",
      "name,",
      "-",
      "--name",
      "+name",
      " name",
      "name desc",
      "name; drop table x",
      "NAME",
    ]) {
      expect(refusal(text).slug, text).toBe("invalid-filter");
    }
  });

  it("quotes at most 40 characters of a refused key", () => {
    expect(refusal("x".repeat(300)).message.length).toBeLessThan(120);
  });
});
