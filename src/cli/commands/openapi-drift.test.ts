import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { generateSchemaSource } from "../../client/generate.ts";
import { buildOpenApiDocument, formatOpenApiDocument } from "./openapi.ts";

const here = (file: string) => new URL(`../../client/${file}`, import.meta.url);

/**
 * The committed client must describe the server as it is: when a route's schema changes, this
 * fails until `npm run gen:client` has regenerated openapi.json and schema.ts.
 */
describe("typed client", () => {
  it("is generated from the current OpenAPI document", async () => {
    const document = await buildOpenApiDocument();
    const committedSpec = await readFile(here("./openapi.json"), "utf8");
    const committedTypes = await readFile(here("./schema.ts"), "utf8");
    const hint = "src/client is out of date with the server's routes: run npm run gen:client";
    expect(committedSpec === formatOpenApiDocument(document), hint).toBe(true);
    expect(committedTypes === (await generateSchemaSource(document)), hint).toBe(true);
  });

  it("would notice a change of the document", async () => {
    const document = await buildOpenApiDocument();
    const paths = document.paths as Record<string, unknown>;
    const changed = { ...document, paths: { ...paths, "/api/extra": { get: { responses: {} } } } };
    const committedTypes = await readFile(here("./schema.ts"), "utf8");
    expect(await generateSchemaSource(changed)).not.toBe(committedTypes);
  });
});
