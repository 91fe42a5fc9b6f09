import { readFile } from "node:fs/promises";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderScenarioJsonSchema, scenarioJsonSchema } from "./json-schema.ts";

const SCHEMA_FILE = new URL("../../../docs/schemas/scenario.schema.json", import.meta.url);
const EXAMPLES = ["broken-config", "full-disk", "closed-door"].map(
  (name) => new URL(`../../../examples/gamedays/${name}/scenario.yaml`, import.meta.url),
);

describe("docs/schemas/scenario.schema.json", () => {
  it("is what the TypeBox types generate (regenerate: node --import tsx scripts/gen-schemas.mjs)", async () => {
    const committed: unknown = JSON.parse(await readFile(SCHEMA_FILE, "utf8"));
    expect(committed).toEqual(JSON.parse(renderScenarioJsonSchema()));
  });

  it("accepts the example scenarios, refuses an unknown field, and carries no loader-only keywords", async () => {
    const { $schema: _, ...schema } = scenarioJsonSchema();
    const validate = new Ajv({ strict: false }).compile(schema);
    for (const file of EXAMPLES) {
      const value = parse(await readFile(file, "utf8")) as Record<string, unknown>;
      expect(validate(value), file.pathname).toBe(true);
      expect(validate({ ...value, gm_note: "typo" })).toBe(false);
    }
    expect(JSON.stringify(schema)).not.toContain("x-expected");
  });
});
