import { readFile, writeFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import openapiTS, { astToString, COMMENT_HEADER, type OpenAPI3 } from "openapi-typescript";

/**
 * The TypeScript types of the API (src/client/schema.ts) from its OpenAPI document. Both
 * `npm run gen:client` and the drift test call this, so they cannot disagree about the output.
 *
 * @example
 * const source = await generateSchemaSource(JSON.parse(await readFile("openapi.json", "utf8")));
 */
export async function generateSchemaSource(document: Record<string, unknown>): Promise<string> {
  const ast = await openapiTS(document as unknown as OpenAPI3, { silent: true });
  return `${COMMENT_HEADER}${astToString(ast)}`;
}

// `node --import tsx src/client/generate.ts IN.json OUT.ts` (the second half of `npm run gen:client`).
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) {
    process.stderr.write("usage: node --import tsx src/client/generate.ts OPENAPI.json SCHEMA.ts\n");
    process.exitCode = 64;
  } else {
    const document = JSON.parse(await readFile(input, "utf8")) as Record<string, unknown>;
    await writeFile(output, await generateSchemaSource(document));
    process.stdout.write(`wrote ${output} from ${input}\n`);
  }
}
