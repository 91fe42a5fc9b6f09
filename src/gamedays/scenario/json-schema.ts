import { ScenarioSchema } from "./model.ts";

export const SCENARIO_SCHEMA_ID = "https://opsdojo.dev/schemas/scenario.schema.json";

/**
 * The JSON Schema published at docs/schemas/scenario.schema.json, generated from the TypeBox
 * types (a test compares them). Regenerate with `node --import tsx scripts/gen-schemas.mjs`.
 */
export function scenarioJsonSchema(): Record<string, unknown> {
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: SCENARIO_SCHEMA_ID,
    title: "opsdojo scenario/v1",
    ...strip(ScenarioSchema),
  };
}

export function renderScenarioJsonSchema(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}

// `x-…` keywords are for the loader's messages only.
function strip(value: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value, (key, v) => (key.startsWith("x-") ? undefined : v)));
}
