import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import type { FastifySchema, FastifySchemaCompiler } from "fastify";
import type { FieldError } from "./problem-error.ts";

type Part = FieldError["in"];

function makeAjv(coerce: boolean): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    // Unknown fields are errors, never silently dropped.
    removeAdditional: false,
    useDefaults: true,
    // Query strings and path parameters arrive as text; bodies must already have the right types.
    coerceTypes: coerce,
    strict: false,
    allowUnionTypes: true,
  });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  return ajv;
}

const bodyAjv = makeAjv(false);
const bodyValidators = new WeakMap<object, ValidateFunction>();

/**
 * Check a value against a body schema exactly as the routes do (same Ajv settings, same
 * `errors[]`): for callers that reach a unit without HTTP, such as the CLI on the local store.
 */
export function bodyErrors(schema: object, value: unknown): FieldError[] {
  let validate = bodyValidators.get(schema);
  if (!validate) {
    validate = bodyAjv.compile(schema) as ValidateFunction;
    bodyValidators.set(schema, validate);
  }
  return validate(value) ? [] : fieldErrors(validate.errors ?? [], "body");
}
const textAjv = makeAjv(true);

/** Bodies are validated strictly; query, params and headers with type coercion. */
export const validatorCompiler: FastifySchemaCompiler<FastifySchema> = ({ schema, httpPart }) => {
  const ajv = httpPart === "body" ? bodyAjv : textAjv;
  return ajv.compile(schema as object) as ValidateFunction;
};

const PARTS: Record<string, Part> = { body: "body", querystring: "query", params: "path", headers: "header" };

function escapePointer(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** Ajv errors → `errors[]` entries with a JSON pointer and a sentence a person can act on. */
export function fieldErrors(errors: readonly ErrorObject[], context: string | undefined): FieldError[] {
  const where: Part = PARTS[context ?? "body"] ?? "body";
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const e of errors) {
    let pointer = e.instancePath;
    let detail: string;
    const params = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case "required":
        pointer += `/${escapePointer(String(params.missingProperty))}`;
        detail = "is required";
        break;
      case "additionalProperties":
        pointer += `/${escapePointer(String(params.additionalProperty))}`;
        detail = where === "query" ? "is not a known query parameter" : "is not a known field";
        break;
      case "type":
        detail = `must be ${String(params.type).replace(",", " or ")}`;
        break;
      case "enum":
        detail = `must be one of: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
        break;
      case "const":
        detail = `must be ${JSON.stringify(params.allowedValue)}`;
        break;
      case "anyOf":
      case "oneOf":
        // The branches' own errors say more; skip the summary unless it is alone.
        if (errors.length > 1) continue;
        detail = "does not match any allowed form";
        break;
      default:
        detail = e.message ?? "is not valid";
    }
    const key = `${pointer} ${detail}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ detail, pointer, in: where });
  }
  return out;
}
