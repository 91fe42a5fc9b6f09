import { SurveySchema } from "./model.ts";

export const SURVEY_SCHEMA_ID = "https://opsdojo.dev/schemas/survey.schema.json";

/**
 * The JSON Schema published at docs/schemas/survey.schema.json, generated from the TypeBox types
 * (a test compares them). Regenerate with `node --import tsx scripts/gen-schemas.mjs`.
 */
export function surveyJsonSchema(): Record<string, unknown> {
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: SURVEY_SCHEMA_ID,
    title: "opsdojo survey/v1",
    ...JSON.parse(JSON.stringify(SurveySchema)),
  };
}

export function renderSurveyJsonSchema(): string {
  return `${JSON.stringify(surveyJsonSchema(), null, 2)}\n`;
}
