import { OpsdojoError } from "../../core/index.ts";

/** A profile file (`--profile`) is not a simulation-profile/v1: where, what was expected. */
export class ProfileError extends OpsdojoError {
  constructor(file: string, line: number | undefined, message: string) {
    super("simulation_profile_invalid", `${file}${line ? `:${line}` : ""}: ${message}`, {
      kind: "invalid",
      details: { file, ...(line ? { line } : {}) },
    });
  }
}

/** A simulation's own input (targets, runs, a strategy override) is out of range. */
export class SimulationInputError extends OpsdojoError {
  constructor(field: string, message: string) {
    super("simulation_input_invalid", `${field}: ${message}`, { kind: "invalid", details: { field } });
  }
}
