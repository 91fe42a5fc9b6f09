// Writes the JSON Schemas generated from the TypeBox types, formatted as Biome wants them:
//   node --import tsx scripts/gen-schemas.mjs
// src/operations/model/model.test.ts, src/gamedays/scenario/json-schema.test.ts and
// src/learning/survey/json-schema.test.ts fail while a
// committed file differs from the types.
import { execFileSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { renderScenarioJsonSchema } from "../src/gamedays/index.ts";
import { renderSurveyJsonSchema } from "../src/learning/index.ts";
import { renderOperationJsonSchema } from "../src/operations/model/index.ts";

for (const [name, render] of [
  ["operation", renderOperationJsonSchema],
  ["scenario", renderScenarioJsonSchema],
  ["survey", renderSurveyJsonSchema],
]) {
  const out = fileURLToPath(new URL(`../docs/schemas/${name}.schema.json`, import.meta.url));
  await writeFile(out, render());
  execFileSync("npx", ["biome", "format", "--write", out], { stdio: "ignore" });
  console.log(`wrote ${out}`);
}
