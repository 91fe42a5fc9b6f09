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

export function validationFailed(errors: readonly FieldError[]): ProblemError {
  const first = errors[0];
  const detail =
    errors.length === 1 && first
      ? `${first.in} ${first.pointer || "(root)"}: ${first.detail}`
      : `${errors.length} problems in the request`;
  return new ProblemError("validation-failed", detail, { errors });
}
