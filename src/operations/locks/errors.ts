import { OpsdojoError } from "../../core/index.ts";

/** Another run holds a path this run must change; retrying once it ends can help. */
export class PathLockedError extends OpsdojoError {
  constructor(path: string, holder: { runId: string; owner: string }, waitedMs: number) {
    super(
      "path_locked",
      `${path} is being changed by run ${holder.runId} (process ${holder.owner}); waited ${waitedMs} ms — let that run finish (opsdojo runs show ${holder.runId}), then start this one again`,
      { kind: "conflict", retryable: true, details: { path, run_id: holder.runId, owner: holder.owner } },
    );
  }
}
