/**
 * The base of every typed error in opsdojo. A `code` is stable (tests, docs and the problem
 * catalogue use it); `retryable` tells a caller whether trying again can help.
 */
export class OpsdojoError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: string,
    message: string,
    options: { cause?: unknown; retryable?: boolean; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.details = options.details ?? {};
  }
}

/** Input given by a user (a flag, a file, a config value) is not acceptable. */
export class InvalidInputError extends OpsdojoError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("invalid_input", message, { details });
  }
}

/** A configuration value (environment, flag) is malformed. */
export class ConfigError extends OpsdojoError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("invalid_config", message, { details });
  }
}
