import { OpsdojoError } from "../../core/index.ts";
import type { NamedResult } from "./checks.ts";
import type { Unrestored } from "./model.ts";

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

/**
 * The process is stopping (a server's SIGTERM after its grace period): the abort reason of the
 * run's signal. Unlike a Ctrl-C, nothing is rolled back — the step in flight keeps its `intent`
 * record, exactly as after a kill, and the run is left `interrupted` for `runs undo` or `resume`.
 */
export class RunHaltedError extends OpsdojoError {
  constructor(message = "the server stopped while the run was going on") {
    super("run_halted", message, { kind: "unavailable", retryable: true });
  }
}

/**
 * The run's lease was found lost while it went on (this process stalled past it, and another
 * node took the run over): halted like a stopping server's run, but nothing more is written —
 * the run is someone else's now.
 */
export class LeaseLostError extends RunHaltedError {
  constructor(runId: string) {
    super(
      `run ${runId} was taken over by another node after its lease ran out; this process stopped working on it`,
    );
  }
}

/** Whether `signal` was aborted to halt the run (not to roll it back). */
export function isHalted(signal: AbortSignal): boolean {
  return signal.aborted && signal.reason instanceof RunHaltedError;
}

/**
 * `runs resume` found the step that was in flight changed by someone else while the run was down,
 * under policy `refuse`: nothing was touched, and the run stops as a halted one does (it stays
 * `interrupted`, resumable with `--on-conflict restore|keep`), naming the conflict.
 */
export class ResumeConflictError extends RunHaltedError {
  readonly unrestored: Unrestored;
  constructor(message: string, unrestored: Unrestored) {
    super(message);
    this.unrestored = unrestored;
  }
}
