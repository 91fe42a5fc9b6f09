import { OpsdojoError } from "../../core/index.ts";

export class MiningJobNotFoundError extends OpsdojoError {
  constructor(id: string) {
    super("mining_job_not_found", `mining job ${id} does not exist; create one with POST /api/mining/jobs`, {
      kind: "not_found",
      details: { job: id },
    });
  }
}

export class MiningModelNotFoundError extends OpsdojoError {
  constructor(id: string) {
    super(
      "mining_model_not_found",
      `process model ${id} does not exist; list them with GET /api/mining/models`,
      {
        kind: "not_found",
        details: { model: id },
      },
    );
  }
}

/** A request names a model or job in its body or query that does not exist, or is not usable. */
export class MiningInputError extends OpsdojoError {
  constructor(message: string, pointer: string) {
    super("mining_input_invalid", message, { kind: "invalid", details: { pointer } });
  }
}

/** Another upload to the same job finished first (another node): send the lines again. */
export class MiningJobBusyError extends OpsdojoError {
  constructor(id: string) {
    super("mining_job_busy", `mining job ${id} changed while these lines were mined; send them again`, {
      kind: "conflict",
      retryable: true,
      details: { job: id },
    });
  }
}
