import { OpsdojoError } from "../../core/index.ts";

/** `runs model OPERATION` for an operation without a completed run to mine. */
export class NoRunHistoryError extends OpsdojoError {
  constructor(operation: string) {
    super(
      "run_history_empty",
      `the operation "${operation}" has no completed run (succeeded or committed) to mine a model from: run it first, or check its name with \`opsdojo runs list\``,
      { kind: "not_found", details: { operation } },
    );
  }
}
