import { OpsdojoError } from "../../core/index.ts";
import type { NamedResult } from "./checks.ts";

/** The run was not started: the steady state fails before anything changed. */
export class RunRefusedError extends OpsdojoError {
  readonly check: NamedResult | undefined;
  constructor(message: string, check?: NamedResult) {
    super("run_refused", message, {
      kind: "invalid",
      details: check ? { expected: check.expected, observed: check.observed } : {},
    });
    this.check = check;
  }
}
