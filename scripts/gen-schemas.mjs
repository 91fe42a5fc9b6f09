// Writes the JSON Schemas generated from the TypeBox types, formatted as Biome wants them:
//   node --import tsx scripts/gen-schemas.mjs
// src/operations/model/model.test.ts fails while the committed file differs from the types.
import { execFileSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { renderOperationJsonSchema } from "../src/operations/model/index.ts";

const out = fileURLToPath(new URL("../docs/schemas/operation.schema.json", import.meta.url));
await writeFile(out, renderOperationJsonSchema());
execFileSync("npx", ["biome", "format", "--write", out], { stdio: "ignore" });
console.log(`wrote ${out}`);
