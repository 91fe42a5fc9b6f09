import { OpsdojoError } from "../core/index.ts";
import { PROBLEMS, type ProblemSlug } from "./problems.ts";

/** One item of a problem's `errors[]`: what is wrong, and where in the request. */
export interface FieldError {
  readonly detail: string;
  /** JSON pointer into the part named by `in` (`""` is the whole part). */
  readonly pointer: string;
  readonly in: "body" | "query" | "path" | "header";
}

/**
 * An error that the API core turns into a problem response. Units throw these (or their own
 * typed errors, mapped in `error-mapping.ts`); nothing else decides an HTTP status.
 */
export class ProblemError extends OpsdojoError {
  readonly slug: ProblemSlug;
  readonly status: number;
  readonly errors: readonly FieldError[];
  readonly headers: Readonly<Record<string, string>>;
  readonly extensions: Readonly<Record<string, unknown>>;

  constructor(
    slug: ProblemSlug,
    detail?: string,
    options: {
      errors?: readonly FieldError[];
      headers?: Record<string, string>;
      extensions?: Record<string, unknown>;
      cause?: unknown;
    } = {},
  ) {
    super(slug, detail ?? PROBLEMS[slug].title, { cause: options.cause });
    this.slug = slug;
    this.status = PROBLEMS[slug].status;
    this.errors = options.errors ?? [];
    this.headers = options.headers ?? {};
    this.extensions = options.extensions ?? {};
  }
}

export function notFound(what: string): ProblemError {
  return new ProblemError("not-found", `${what} does not exist`);
}

/** A 400 listing every problem of the request; `cause`: the unit's error, whose code the body carries. */
export function validationFailed(errors: readonly FieldError[], cause?: unknown): ProblemError {
  const first = errors[0];
  const detail =
    errors.length === 1 && first
      ? `${first.in} ${first.pointer || "(root)"}: ${first.detail}`
      : `${errors.length} problems in the request`;
  return new ProblemError("validation-failed", detail, { errors, ...(cause === undefined ? {} : { cause }) });
}

/**
 * The stable code a problem body carries (`code`, docs/errors.md): the code of the unit's typed
 * error behind it — given as an extension, or the problem's cause. None for a problem the API
 * core raised itself (its `type` says it all) or for an internal error.
 */
export function problemCode(problem: ProblemError): string | undefined {
  const given = problem.extensions.code;
  if (typeof given === "string") return given;
  const cause = problem.cause;
  return cause instanceof OpsdojoError && !(cause instanceof ProblemError) ? cause.code : undefined;
}
