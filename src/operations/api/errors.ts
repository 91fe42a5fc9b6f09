import { OpsdojoError } from "../../core/index.ts";

export class OperationNotFoundError extends OpsdojoError {
  constructor(ref: string) {
    super("operation_not_found", `operation ${ref} does not exist; register it with POST /api/operations`, {
      kind: "not_found",
      details: { operation: ref },
    });
  }
}

/** The run is not in a status that allows what was asked (resume a finished run, undo a running one). */
export class RunStateConflictError extends OpsdojoError {
  constructor(message: string, status: string) {
    super("run_state_conflict", message, { kind: "conflict", details: { status } });
  }
}
