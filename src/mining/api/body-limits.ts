import type { FastifyRequest } from "fastify";
import { MiningLimitError } from "../workers/index.ts";
import { miningProblem } from "./problems.ts";

/** Room for JSON's quoting and the other fields around an event log of `maxLogBytes`. */
export const logBodyLimit = (maxLogBytes: number) => Math.ceil(maxLogBytes * 1.25) + 1024 * 1024;

/** A declared Content-Length past `max` is refused before a byte of the body is read. */
export function refuseDeclaredLength(
  request: FastifyRequest,
  max: number,
  limit: "maxUploadBytes" | "maxLogBytes",
  configured: number,
): void {
  const length = Number(request.headers["content-length"] ?? 0);
  if (length > max)
    throw miningProblem(new MiningLimitError(limit, configured, `the body has ${length} bytes`));
}
