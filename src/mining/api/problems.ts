import { ProblemError } from "../../api/index.ts";
import { MiningLimitError, MiningWorkersBusyError, MiningWorkersClosedError } from "../workers/index.ts";

/**
 * The mining workers' errors as problems: a breached limit is a 413 (bytes) or 422 (anything
 * else) that names the limit, its configured value and how to raise it; a full pool or a
 * stopping server is a 503 with Retry-After. Anything else goes on to the API core as it is.
 */
export function miningProblem(error: unknown): unknown {
  if (error instanceof MiningLimitError) {
    const { limit, configured, env, option } = error.details;
    return new ProblemError(error.status === 413 ? "payload-too-large" : "limit-exceeded", error.message, {
      extensions: { limit, configured, raise_with: { env, option } },
      cause: error,
    });
  }
  if (error instanceof MiningWorkersBusyError || error instanceof MiningWorkersClosedError) {
    const seconds = error instanceof MiningWorkersBusyError ? error.retryAfterSeconds : 5;
    return new ProblemError("unavailable", error.message, {
      headers: { "retry-after": String(seconds) },
      extensions: { code: error.code },
      cause: error,
    });
  }
  return error;
}

/** Run a handler's work, its mining errors turned into problems. */
export async function asMiningProblems<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw miningProblem(error);
  }
}
