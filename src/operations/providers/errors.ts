import { OpsdojoError } from "../../core/index.ts";

/** An action's input is not acceptable (a relative path, an unknown field …): never retryable. */
export class ActionInputError extends OpsdojoError {
  /** `path`: where the field sits inside `with` when it is nested (`["targets", 0, "port"]`). */
  constructor(action: string, field: string, message: string, path?: readonly (string | number)[]) {
    super("action_input_invalid", `${action}: ${field}: ${message}`, {
      details: { action, field, ...(path === undefined ? {} : { path }) },
      kind: "invalid",
    });
  }
}

/** The action failed while acting or undoing; `retryable` says whether trying again can help. */
export class ActionFailedError extends OpsdojoError {
  constructor(action: string, message: string, options: { retryable: boolean; cause?: unknown }) {
    super("action_failed", `${action}: ${message}`, {
      retryable: options.retryable,
      cause: options.cause,
      details: { action },
    });
  }
}

/** A path would lead outside the tree the action was given (through a symlink or `..`). */
export class PathEscapeError extends OpsdojoError {
  constructor(action: string, path: string, why: string) {
    super("path_escape", `${action}: refusing ${JSON.stringify(path)}: ${why}`, {
      details: { action, path },
      kind: "invalid",
    });
  }
}
