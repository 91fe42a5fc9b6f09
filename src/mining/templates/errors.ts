import { OpsdojoError } from "../../core/index.ts";

/** A `--log-format` cannot be compiled: no `<Content>`, a bad field name, an invalid expression. */
export class InvalidLogFormatError extends OpsdojoError {
  constructor(format: string, reason: string) {
    super("invalid_log_format", `the log format "${format}" cannot be used: ${reason}`, {
      details: { format },
      kind: "invalid",
    });
  }
}

/** `--preset` names no preset. */
export class UnknownPresetError extends OpsdojoError {
  constructor(name: string, known: readonly string[]) {
    super("unknown_log_preset", `there is no log format preset "${name}"; presets: ${known.join(", ")}`, {
      details: { name, known },
      kind: "invalid",
    });
  }
}

/** A state file (`--out templates.json` read back) is not a template state opsdojo wrote. */
export class InvalidStateError extends OpsdojoError {
  constructor(file: string, reason: string, cause?: unknown) {
    super("invalid_template_state", `${file} is not a template state file: ${reason}`, {
      details: { file },
      kind: "invalid",
      ...(cause === undefined ? {} : { cause }),
    });
  }
}
