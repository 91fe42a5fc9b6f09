import { describe, expect, it } from "vitest";
import { documentProblems } from "./document-check.ts";

const ok = { "200": { description: "ok" } };

describe("documentProblems", () => {
  it("finds nothing in a valid 3.1 document", () => {
    const doc = {
      openapi: "3.1.0",
      info: { title: "t", version: "1.0.0" },
      paths: {
        "/a/{id}": {
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          get: {
            operationId: "get_a",
            responses: {
              ...ok,
              "4XX": {
                description: "no",
                content: { "application/json": { schema: { $ref: "#/components/schemas/e" } } },
              },
            },
          },
        },
      },
      components: {
        schemas: { e: { type: ["object", "null"], required: [], properties: { x: { enum: [1] } } } },
      },
    };
    expect(documentProblems(doc)).toEqual([]);
  });

  it("cites required: [] in a 3.0 document by its JSON pointer, wherever the schema is", () => {
    const doc = {
      openapi: "3.0.3",
      info: { title: "t", version: "1.0.0" },
      paths: {
        "/w": {
          post: {
            requestBody: {
              content: {
                "application/json": {
                  schema: { type: "object", properties: { n: { type: "object", required: [] } } },
                },
              },
            },
            responses: ok,
          },
        },
      },
      components: { schemas: { x: { type: ["string", "null"] } } },
    };
    const found = documentProblems(doc);
    expect(found).toHaveLength(2);
    expect(found).toEqual(
      expect.arrayContaining([
        {
          pointer: "/paths/~1w/post/requestBody/content/application~1json/schema/properties/n/required",
          message: "required: [] is not valid in OpenAPI 3.0 (it needs at least one name); leave it out",
        },
        {
          pointer: "/components/schemas/x/type",
          message: "a list of types is OpenAPI 3.1; 3.0 takes one type (and nullable: true)",
        },
      ]),
    );
  });

  it("finds document-level faults: version, info, paths, parameters, responses, ids and references", () => {
    const doc = {
      openapi: "2.0",
      info: { title: "t" },
      paths: {
        "/b/{id}": { get: { operationId: "same", responses: {} } },
        c: {
          get: {
            operationId: "same",
            parameters: [
              { name: "q", in: "body" },
              { name: "p", in: "path" },
            ],
            responses: { "200": { $ref: "#/components/responses/missing" }, "2xx": { description: "?" } },
          },
        },
      },
    };
    const found = documentProblems(doc).map((p) => `${p.pointer} ${p.message}`);
    expect(found).toEqual(
      expect.arrayContaining([
        '/openapi "2.0" is not an OpenAPI 3.0.x or 3.1.x version',
        "/info/version is missing or not a string",
        '/paths/~1b~1{id}/get/parameters declares no path parameter "id" for /b/{id}',
        "/paths/~1b~1{id}/get has no responses",
        "/paths/c a path must start with /",
        '/paths/c/get/parameters/0/in "in" is "body", not one of query, header, path, cookie',
        "/paths/c/get/parameters/1/required a path parameter must be required: true",
        '/paths/c/get/responses/2xx "2xx" is not a status code, a range like 4XX, or default',
        '/paths/c/get/operationId "same" is used by /paths/~1b~1{id}/get too; operation ids must be unique',
        '/paths/c/get/responses/200/$ref $ref "#/components/responses/missing" points at nothing in the document',
      ]),
    );
  });

  it("stops on a document that nests without end", () => {
    let deep: Record<string, unknown> = { type: "string" };
    for (let i = 0; i < 5000; i++) deep = { type: "object", properties: { x: deep } };
    const doc = {
      openapi: "3.1.0",
      info: { title: "t", version: "1" },
      paths: {},
      components: { schemas: { deep } },
    };
    expect(documentProblems(doc)).toEqual([]);
  });
});
