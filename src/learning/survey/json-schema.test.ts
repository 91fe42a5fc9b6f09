import { readFile } from "node:fs/promises";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { DEFAULT_SURVEY_SOURCE } from "./default-survey.ts";
import { renderSurveyJsonSchema, surveyJsonSchema } from "./json-schema.ts";

const SCHEMA_FILE = new URL("../../../docs/schemas/survey.schema.json", import.meta.url);

describe("docs/schemas/survey.schema.json", () => {
  it("is what the TypeBox types generate (regenerate: node --import tsx scripts/gen-schemas.mjs)", async () => {
    const committed: unknown = JSON.parse(await readFile(SCHEMA_FILE, "utf8"));
    expect(committed).toEqual(JSON.parse(renderSurveyJsonSchema()));
  });

  it("accepts the built-in survey and refuses an unknown field or a 1–5 scale", () => {
    const { $schema: _, ...schema } = surveyJsonSchema();
    const validate = new Ajv({ strict: false }).compile(schema);
    const value = parse(DEFAULT_SURVEY_SOURCE) as Record<string, unknown> & {
      scale: Record<string, unknown>;
    };
    expect(validate(value)).toBe(true);
    expect(validate({ ...value, anonymous: false })).toBe(false);
    expect(validate({ ...value, scale: { ...value.scale, max: 5 } })).toBe(false);
  });
});
