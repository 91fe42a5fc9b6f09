import { OpsdojoError } from "../../core/index.ts";

/** A Petri net file (PNML, model JSON) cannot be read. */
export class PetriNetFormatError extends OpsdojoError {
  constructor(file: string, line: number | undefined, message: string) {
    super("petri_net_invalid", `${line === undefined ? file : `${file}:${line}`}: ${message}`, {
      kind: "invalid",
      details: { file, ...(line === undefined ? {} : { line }) },
    });
  }
}
