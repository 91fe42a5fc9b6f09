import { assertIfMatch, quoteEtag } from "../etag.ts";
import { ProblemError } from "../problem-error.ts";

/** Whether a resource's writes take `If-Match` when sent (`optional`) or refuse to go without it. */
export type IfMatchPolicy = "optional" | "required";

/**
 * The precondition of a write: a stale `If-Match` is 412 (nothing changed); a missing one is 428
 * where the resource requires it, so that no client can overwrite what it never read.
 */
export function checkIfMatch(header: string | undefined, etag: string, policy: IfMatchPolicy): void {
  if (header === undefined) {
    if (policy === "required")
      throw new ProblemError(
        "precondition-required",
        `this resource is only changed with If-Match; GET it and send its ETag (now ${quoteEtag(etag)}) as If-Match`,
      );
    return;
  }
  assertIfMatch(header, etag);
}
