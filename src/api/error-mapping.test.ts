import { describe, expect, it } from "vitest";
import { InvalidInputError, OpsdojoError } from "../core/index.ts";
import { toProblem } from "./error-mapping.ts";
import { ProblemError } from "./problem-error.ts";

/** Internal detail that must never reach a client. */
const SECRET_DETAIL = [
  "SELECT * FROM tokens WHERE hash = $1",
  "/work/main/src/store/open.ts:42:7",
  "SQLITE_CONSTRAINT",
  "password=hunter2",
];
const SECRET = SECRET_DETAIL.join(" | ");

function leaks(problem: ProblemError): boolean {
  const text = JSON.stringify({ message: problem.message, errors: problem.errors, ext: problem.extensions });
  return SECRET_DETAIL.some((s) => text.includes(s)) || /\bat .+:\d+:\d+/.test(text);
}

describe("toProblem: the one place errors become problems", () => {
  it("passes ProblemErrors through as they are", () => {
    const p = new ProblemError("conflict", "taken");
    expect(toProblem(p)).toEqual({ problem: p, internal: false });
  });

  it("maps unit error kinds to their problems", () => {
    const cases: Array<[OpsdojoError, string, number]> = [
      [new OpsdojoError("x_missing", "x does not exist", { kind: "not_found" }), "not-found", 404],
      [new OpsdojoError("x_taken", "x is taken", { kind: "conflict" }), "conflict", 409],
      [new OpsdojoError("x_changed", "x changed", { kind: "changed" }), "precondition-failed", 412],
    ];
    for (const [error, slug, status] of cases) {
      const { problem, internal } = toProblem(error);
      expect(problem.slug).toBe(slug);
      expect(problem.status).toBe(status);
      expect(problem.message).toBe(error.message);
      expect(internal).toBe(false);
    }
  });

  it("maps an invalid-input error to a 400 with its pointer", () => {
    const error = new OpsdojoError("bad", "sunset_at must not be before deprecated_at", {
      kind: "invalid",
      details: { pointer: "/versions/0/sunset_at" },
    });
    const { problem } = toProblem(error);
    expect(problem.slug).toBe("validation-failed");
    expect(problem.errors).toEqual([
      { detail: "sunset_at must not be before deprecated_at", pointer: "/versions/0/sunset_at", in: "body" },
    ]);
    expect(toProblem(new InvalidInputError("no")).problem.errors).toEqual([
      { detail: "no", pointer: "", in: "body" },
    ]);
  });

  it("maps Fastify validation errors with their part", () => {
    const error = Object.assign(new Error("querystring/limit must be >= 1"), {
      validation: [
        { keyword: "minimum", instancePath: "/limit", schemaPath: "#", params: {}, message: "must be >= 1" },
      ],
      validationContext: "querystring",
    });
    const { problem } = toProblem(error);
    expect(problem.slug).toBe("validation-failed");
    expect(problem.errors).toEqual([{ detail: "must be >= 1", pointer: "/limit", in: "query" }]);
  });

  it("maps Fastify client errors by status, with safe messages", () => {
    const fst = (code: string, statusCode: number, message: string) =>
      Object.assign(new Error(message), { code, statusCode });
    expect(
      toProblem(fst("FST_ERR_CTP_BODY_TOO_LARGE", 413, "Request body is too large")).problem,
    ).toMatchObject({
      slug: "payload-too-large",
      status: 413,
      message: "the request body is larger than 1 MiB",
    });
    expect(
      toProblem(fst("FST_ERR_CTP_INVALID_MEDIA_TYPE", 415, "Unsupported Media Type")).problem,
    ).toMatchObject({
      slug: "unsupported-media-type",
      status: 415,
    });
    expect(toProblem(fst("FST_ERR_CTP_EMPTY_JSON_BODY", 400, "Body cannot be empty")).problem).toMatchObject({
      slug: "malformed-request",
      status: 400,
      message: "the body is empty; send a JSON object",
    });
    const multiline = toProblem(
      fst("FST_ERR_CTP_INVALID_JSON_BODY", 400, `Body is not valid JSON\n${SECRET}`),
    );
    expect(multiline.problem).toMatchObject({ slug: "malformed-request", message: "Body is not valid JSON" });
    expect(multiline.internal).toBe(false);
  });

  it("maps a URL that fails before routing (bad percent-encoding, over-long segment) to 404", () => {
    const fst = (code: string, statusCode: number) =>
      Object.assign(new Error(`'/api/services/${SECRET}' is not a valid url component`), {
        code,
        statusCode,
      });
    for (const [code, status] of [
      ["FST_ERR_BAD_URL", 400],
      ["FST_ERR_MAX_PARAM_LENGTH", 414],
    ] as const) {
      const { problem, internal } = toProblem(fst(code, status));
      expect(problem.slug).toBe("not-found");
      expect(problem.status).toBe(404);
      expect(problem.message).toMatch(/^no operation or resource here: the path /);
      expect(leaks(problem)).toBe(false);
      expect(internal).toBe(false);
    }
  });

  it("never shows anything of an unknown error: generic 500, flagged internal for the log", () => {
    const unknown: unknown[] = [
      new Error(SECRET),
      new TypeError(`Cannot read properties of undefined (reading 'q') ${SECRET}`),
      Object.assign(new Error(SECRET), { statusCode: 400 }), // a status, but not one of Fastify's client errors
      Object.assign(new Error(SECRET), { code: "SQLITE_CONSTRAINT_UNIQUE" }),
      Object.assign(new Error(SECRET), { code: "FST_ERR_SOMETHING", statusCode: 500 }),
      new OpsdojoError("boom", SECRET),
      SECRET,
      undefined,
      null,
      { message: SECRET, stack: SECRET },
    ];
    for (const error of unknown) {
      const { problem, internal } = toProblem(error);
      expect(problem.slug).toBe("internal");
      expect(problem.status).toBe(500);
      expect(problem.message).toBe("the server failed to handle this request");
      expect(internal).toBe(true);
      expect(leaks(problem)).toBe(false);
    }
  });

  it("hides the cause of an unavailable dependency but flags it for the log", () => {
    const { problem, internal } = toProblem(
      new OpsdojoError("store_unavailable", SECRET, { kind: "unavailable" }),
    );
    expect(problem.slug).toBe("unavailable");
    expect(problem.status).toBe(503);
    expect(leaks(problem)).toBe(false);
    expect(internal).toBe(true);
  });
});
