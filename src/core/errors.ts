/**
 * What kind of failure an error is, independent of any unit: the API core maps kinds to HTTP
 * problems and the CLI maps them to exit codes, so neither needs to know every unit's errors.
 */
export type ErrorKind = "invalid" | "not_found" | "conflict" | "changed" | "unavailable" | "internal";

/**
 * The base of every typed error in opsdojo. A `code` is stable (tests, docs and the problem
 * catalogue use it); `retryable` tells a caller whether trying again can help.
 */
export class OpsdojoError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly details: Readonly<Record<string, unknown>>;
  readonly kind: ErrorKind;

  constructor(
    code: string,
    message: string,
    options: {
      cause?: unknown;
      retryable?: boolean;
      details?: Record<string, unknown>;
      kind?: ErrorKind;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.details = options.details ?? {};
    this.kind = options.kind ?? "internal";
  }
}

/** Input given by a user (a flag, a file, a config value) is not acceptable. */
export class InvalidInputError extends OpsdojoError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("invalid_input", message, { details, kind: "invalid" });
  }
}

/** A configuration value (environment, flag) is malformed. */
export class ConfigError extends OpsdojoError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("invalid_config", message, { details, kind: "invalid" });
  }
}
