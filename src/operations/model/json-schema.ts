import { OperationSchema } from "./operation.ts";

export const OPERATION_SCHEMA_ID = "https://opsdojo.dev/schemas/operation.schema.json";

/**
 * The JSON Schema published at docs/schemas/operation.schema.json, generated from the TypeBox
 * types so the two cannot drift (a test compares them). Regenerate with
 * `node --import tsx scripts/gen-schemas.mjs`.
 */
export function operationJsonSchema(): Record<string, unknown> {
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: OPERATION_SCHEMA_ID,
    title: "opsdojo operation/v1",
    ...strip(OperationSchema),
  };
}

export function renderOperationJsonSchema(): string {
  return `${JSON.stringify(operationJsonSchema(), null, 2)}\n`;
}

// `x-…` keywords are for the loader's messages only; editors need not see them.
function strip(value: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value, (key, v) => (key.startsWith("x-") ? undefined : v)));
}
