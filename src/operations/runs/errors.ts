import { OpsdojoError } from "../../core/index.ts";

/**
 * No run has this id — asked for by the API, the CLI's local backend or an undo. The message
 * says where the ids are, for a user of either.
 */
export class RunNotFoundError extends OpsdojoError {
  constructor(id: string) {
    super("run_not_found", `run ${id} does not exist; \`opsdojo runs list\` (GET /api/runs) shows the runs`, {
      kind: "not_found",
      details: { run: id },
    });
  }
}
