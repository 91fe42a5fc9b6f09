import { readFile } from "node:fs/promises";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { KNOWN_ACTIONS, operationJsonSchema, parseDuration, renderOperationJsonSchema } from "./index.ts";

const SCHEMA_FILE = new URL("../../../docs/schemas/operation.schema.json", import.meta.url);
const EXAMPLE = new URL("../loader/fixtures/roll-app-config.yaml", import.meta.url);

describe("parseDuration", () => {
  it("reads the four units", () => {
    expect(parseDuration("500ms")).toBe(500);
    expect(parseDuration("10s")).toBe(10_000);
    expect(parseDuration("5m")).toBe(300_000);
    expect(parseDuration("1h")).toBe(3_600_000);
    expect(parseDuration("0s")).toBe(0);
  });

  it("refuses anything else, and sizes that are not exact", () => {
    for (const text of [
      "",
      "10",
      "1.5s",
      "-1s",
      "10 s",
      "1d",
      "10S",
      "1e3ms",
      "99999999999999999999h",
      "9007199254741h",
    ]) {
      expect(parseDuration(text), text).toBeUndefined();
    }
  });
});

describe("docs/schemas/operation.schema.json", () => {
  it("is what the TypeBox types generate (regenerate: node --import tsx scripts/gen-schemas.mjs)", async () => {
    // Compared as JSON, not text: the committed file is formatted by Biome.
    const committed: unknown = JSON.parse(await readFile(SCHEMA_FILE, "utf8"));
    expect(committed).toEqual(JSON.parse(renderOperationJsonSchema()));
  });

  it("accepts the example of OPERATIONS.md and lists every known action", async () => {
    const { $schema: _, ...schema } = operationJsonSchema();
    const validate = new Ajv({ strict: false }).compile(schema);
    expect(validate(parse(await readFile(EXAMPLE, "utf8")))).toBe(true);
    expect(JSON.stringify(schema)).not.toContain("x-expected");
    for (const action of KNOWN_ACTIONS) expect(JSON.stringify(schema)).toContain(`"${action}"`);
  });
});
