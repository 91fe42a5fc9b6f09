import type { ErrorObject } from "ajv";
import { Type } from "typebox";
import { describe, expect, it } from "vitest";
import { fieldErrors, validatorCompiler } from "./validation.ts";

const Body = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 10 }),
    kind: Type.Union([Type.Literal("a"), Type.Literal("b")]),
    count: Type.Optional(Type.Integer({ minimum: 0 })),
    tags: Type.Optional(Type.Array(Type.Object({ key: Type.String() }, { additionalProperties: false }))),
    "a/b~c": Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

const Query = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, default: 50 })), flag: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

type Validate = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

function compile(schema: object, httpPart: string): Validate {
  return validatorCompiler({ schema, httpPart, method: "POST", url: "/x" } as never) as unknown as Validate;
}

/** Validate `data` as `part` and map the errors as the API core does. */
function check(schema: object, part: "body" | "querystring" | "params" | "headers", data: unknown) {
  const validate = compile(schema, part);
  const ok = validate(data);
  return { ok, errors: ok ? [] : fieldErrors(validate.errors ?? [], part) };
}

describe("validation → errors[] with JSON pointers (CB-06)", () => {
  it("accepts a valid body", () => {
    expect(check(Body, "body", { name: "x", kind: "a" })).toEqual({ ok: true, errors: [] });
  });

  it("points at each missing required field", () => {
    expect(check(Body, "body", {}).errors).toEqual([
      { detail: "is required", pointer: "/name", in: "body" },
      { detail: "is required", pointer: "/kind", in: "body" },
    ]);
  });

  it("points at each unknown field, nested ones included, and escapes ~ and / (RFC 6901)", () => {
    const { errors } = check(Body, "body", {
      name: "x",
      kind: "a",
      extra: 1,
      "we/ird~": 2,
      tags: [{ key: "k", colour: "red" }],
    });
    expect(errors).toEqual(
      expect.arrayContaining([
        { detail: "is not a known field", pointer: "/extra", in: "body" },
        { detail: "is not a known field", pointer: "/we~1ird~0", in: "body" },
        { detail: "is not a known field", pointer: "/tags/0/colour", in: "body" },
      ]),
    );
    expect(errors).toHaveLength(3);
  });

  it("points at fields of the wrong type and never coerces body values", () => {
    const { errors } = check(Body, "body", { name: 5, kind: "a", count: "3", tags: {} });
    expect(errors).toEqual([
      { detail: "must be string", pointer: "/name", in: "body" },
      { detail: "must be integer", pointer: "/count", in: "body" },
      { detail: "must be array", pointer: "/tags", in: "body" },
    ]);
  });

  it("reports a body that is not an object at the root pointer", () => {
    for (const body of [[], "text", 3, null]) {
      expect(check(Body, "body", body).errors).toEqual([
        { detail: "must be object", pointer: "", in: "body" },
      ]);
    }
  });

  it("describes union (literal) mismatches once, by their allowed values", () => {
    const { errors } = check(Body, "body", { name: "x", kind: "c" });
    expect(errors.every((e) => e.pointer === "/kind" && e.in === "body")).toBe(true);
    expect(errors.map((e) => e.detail)).toEqual(['must be "a"', 'must be "b"']);
  });

  it("passes constraint messages through with their pointer", () => {
    const { errors } = check(Body, "body", { name: "", kind: "a", count: -1 });
    expect(errors).toEqual([
      { detail: "must NOT have fewer than 1 characters", pointer: "/name", in: "body" },
      { detail: "must be >= 0", pointer: "/count", in: "body" },
    ]);
  });

  it("coerces query text, and names unknown query parameters as such", () => {
    expect(check(Query, "querystring", { limit: "7", flag: "true" }).ok).toBe(true);
    expect(check(Query, "querystring", { limit: "1.5", nope: "1" }).errors).toEqual([
      { detail: "is not a known query parameter", pointer: "/nope", in: "query" },
      { detail: "must be integer", pointer: "/limit", in: "query" },
    ]);
    expect(check(Query, "querystring", { limit: "0" }).errors).toEqual([
      { detail: "must be >= 1", pointer: "/limit", in: "query" },
    ]);
  });

  it("fills documented defaults into the query", () => {
    const validate = compile(Query, "querystring");
    const query: Record<string, unknown> = {};
    expect(validate(query)).toBe(true);
    expect(query).toEqual({ limit: 50 });
  });

  it("labels path parameters and headers", () => {
    const Params = Type.Object({ id: Type.String({ maxLength: 3 }) });
    expect(check(Params, "params", { id: "toolong" }).errors).toEqual([
      { detail: "must NOT have more than 3 characters", pointer: "/id", in: "path" },
    ]);
    const Headers = Type.Object({ "x-n": Type.Integer() });
    expect(check(Headers, "headers", { "x-n": "a" }).errors).toEqual([
      { detail: "must be integer", pointer: "/x-n", in: "header" },
    ]);
  });

  it("lists an error once even when the validator reports it twice", () => {
    const e: ErrorObject = {
      keyword: "required",
      instancePath: "",
      schemaPath: "#/required",
      params: { missingProperty: "name" },
    };
    expect(fieldErrors([e, e], "body")).toEqual([{ detail: "is required", pointer: "/name", in: "body" }]);
  });
});
