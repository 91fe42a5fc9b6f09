import type { FastifyError } from "fastify";
import { OpsdojoError } from "../core/index.ts";
import { isStoreUnavailable } from "../store/index.ts";
import { ProblemError, validationFailed } from "./problem-error.ts";
import { PROBLEMS, type ProblemSlug } from "./problems.ts";
import { fieldErrors } from "./validation.ts";

const BY_STATUS = new Map<number, ProblemSlug>(
  Object.entries(PROBLEMS).map(([slug, spec]) => [spec.status, slug as ProblemSlug]),
);
BY_STATUS.set(400, "malformed-request");
BY_STATUS.set(409, "conflict");

/**
 * The one place where an error becomes an HTTP problem. Anything unrecognised is a 500 whose
 * detail says nothing about the inside; the real error goes to the log with the request id.
 */
export function toProblem(error: unknown): { problem: ProblemError; internal: boolean } {
  if (error instanceof ProblemError) return { problem: error, internal: false };
  // Anything can be thrown, `null` and `undefined` included: this function must answer for all of it.
  const fe = (typeof error === "object" && error !== null ? error : {}) as Partial<FastifyError> & {
    validationContext?: string;
  };
  if (Array.isArray(fe.validation)) {
    return {
      problem: validationFailed(fieldErrors(fe.validation as never, fe.validationContext)),
      internal: false,
    };
  }
  if (error instanceof OpsdojoError) {
    // The error is the problem's cause, so its stable code reaches the body (problemCode).
    const cause = { cause: error };
    switch (error.kind) {
      case "invalid":
        return {
          problem: validationFailed(
            [{ detail: error.message, pointer: String(error.details.pointer ?? ""), in: "body" }],
            error,
          ),
          internal: false,
        };
      case "not_found":
        return { problem: new ProblemError("not-found", error.message, cause), internal: false };
      case "conflict":
        return { problem: new ProblemError("conflict", error.message, cause), internal: false };
      case "changed":
        return { problem: new ProblemError("precondition-failed", error.message, cause), internal: false };
      case "unavailable":
        return {
          problem: new ProblemError("unavailable", "a dependency cannot be reached; retry shortly", cause),
          internal: true,
        };
      case "internal":
        break;
    }
  }
  if (isStoreUnavailable(error)) {
    return {
      problem: new ProblemError("unavailable", "the store cannot be reached right now; retry shortly"),
      internal: true,
    };
  }
  // Raised before routing: a path that is not valid percent-encoding, or a segment longer than any
  // id, names nothing here.
  if (fe.code === "FST_ERR_BAD_URL" || fe.code === "FST_ERR_MAX_PARAM_LENGTH") {
    const why =
      fe.code === "FST_ERR_BAD_URL"
        ? "is not valid percent-encoded UTF-8"
        : "has a segment over 200 characters";
    return {
      problem: new ProblemError("not-found", `no operation or resource here: the path ${why}`),
      internal: false,
    };
  }
  const status = typeof fe.statusCode === "number" ? fe.statusCode : 500;
  if (status >= 400 && status < 500 && typeof fe.code === "string" && fe.code.startsWith("FST_")) {
    const slug = BY_STATUS.get(status) ?? "malformed-request";
    return { problem: new ProblemError(slug, safeFastifyMessage(fe)), internal: false };
  }
  return {
    problem: new ProblemError("internal", "the server failed to handle this request"),
    internal: true,
  };
}

/** Fastify's client-error messages are safe to show, but trim parser positions to one line. */
function safeFastifyMessage(error: Partial<FastifyError>): string {
  switch (error.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return "the request body is larger than 1 MiB";
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return "the request body must be application/json";
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return "the body is empty; send a JSON object";
    default:
      return (error.message ?? "the request cannot be read").split("\n")[0]?.slice(0, 200) ?? "";
  }
}
