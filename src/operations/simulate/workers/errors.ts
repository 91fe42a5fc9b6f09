import { type ErrorKind, OpsdojoError } from "../../../core/index.ts";

/** Every simulation thread is busy and the queue is full: try again shortly (503). */
export class SimulationsBusyError extends OpsdojoError {
  readonly retryAfterSeconds = 5;
  constructor(queue: number) {
    super(
      "simulations_busy",
      `every simulation thread is busy and ${queue} simulations wait; try again shortly`,
      {
        kind: "unavailable",
        retryable: true,
      },
    );
  }
}

/** A simulation ran past the deadline and its thread was terminated. */
export class SimulationTimeoutError extends OpsdojoError {
  constructor(deadlineMs: number) {
    super(
      "simulation_timeout",
      `the simulation ran past ${Math.round(deadlineMs / 1000)} s and was stopped; ask for fewer runs or fewer what-if runs`,
      { kind: "invalid" },
    );
  }
}

/** The simulation could not be computed (its input, or its thread). */
export class SimulationFailedError extends OpsdojoError {
  constructor(message: string, from?: { code: string; kind: string }) {
    super(from?.code ?? "simulation_failed", message, { kind: (from?.kind as ErrorKind) ?? "internal" });
  }
}
