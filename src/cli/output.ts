import pc from "picocolors";
import type { Failure } from "./exit-codes.ts";

/** Colours for human output; all identity functions when colour is off (NO_COLOR, not a TTY). */
export interface Style {
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly red: (s: string) => string;
  readonly yellow: (s: string) => string;
  readonly green: (s: string) => string;
  readonly cyan: (s: string) => string;
}

/** Colour on or off; main decides per stream (NO_COLOR, FORCE_COLOR, whether it is a terminal). */
export function styleFor(enabled: boolean): Style {
  const c = pc.createColors(enabled);
  return { bold: c.bold, dim: c.dim, red: c.red, yellow: c.yellow, green: c.green, cyan: c.cyan };
}

/**
 * What a command hands back instead of printing: the same result as data (for `--json`) and as
 * text (for people). Only `main` writes to the terminal.
 */
export interface CommandResult {
  /** Printed by `--json`; lists are `{items: [...]}`. */
  readonly json: unknown;
  readonly text: (style: Style) => string;
  /** A long-running command (serve) is done when this settles; main prints first, then waits. */
  readonly running?: Promise<void>;
  /** The exit code when the command ran but its verdict is "failed" (conform with a MUST failure). */
  readonly exitCode?: number;
  /** Print `text` even under --json (the text is already a machine format the user chose). */
  readonly raw?: boolean;
}

export function renderResult(result: CommandResult, json: boolean, style: Style): string {
  const out = json && !result.raw ? JSON.stringify(result.json, null, 2) : result.text(style);
  return out.length === 0 || out.endsWith("\n") ? out : `${out}\n`;
}

export function renderFailure(failure: Failure, json: boolean, style: Style): string {
  if (json) {
    const body = {
      error: {
        message: failure.message,
        exit_code: failure.exitCode,
        ...(failure.details.length > 0 ? { details: failure.details } : {}),
        ...(failure.hint ? { hint: failure.hint } : {}),
      },
    };
    return `${JSON.stringify(body)}\n`;
  }
  const lines = [`${style.red("error:")} ${failure.message}`, ...failure.details.map((d) => `  ${d}`)];
  if (failure.hint) lines.push(style.dim(`hint: ${failure.hint}`));
  return `${lines.join("\n")}\n`;
}

export function renderWarning(message: string, style: Style): string {
  return `${style.yellow("warning:")} ${message}\n`;
}

/** Left-aligned columns separated by two spaces; the header row is bold. */
export function table(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  style: Style,
): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [style.bold(line(headers)), ...rows.map(line)].join("\n");
}
