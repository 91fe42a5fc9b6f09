import { OpsdojoError } from "../../core/index.ts";

/** A line of the watched input cannot be read as the events it should hold (e.g. a CSV header without a case column). */
export class WatchInputError extends OpsdojoError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("watch_input_invalid", message, { kind: "invalid", details });
  }
}
