import { messageOf } from "../../core/index.ts";
import type { LogFormat } from "../templates/index.ts";
import { WatchInputError } from "./errors.ts";

/**
 * A raw line's case id, as `mine discover --case` reads it: a header field of the format
 * (`Pid`), or else a regular expression searched in the line — its first group, else the match.
 */
export function caseIdReader(
  format: LogFormat,
  spec: string,
): (line: string, fields: Readonly<Record<string, string>> | undefined) => string | undefined {
  if (format.fields.includes(spec)) return (_line, fields) => fields?.[spec] || undefined;
  let pattern: RegExp;
  try {
    pattern = new RegExp(spec);
  } catch (error) {
    throw new WatchInputError(
      `--case ${JSON.stringify(spec)} is neither a header field (${format.fields.join(", ")}) nor a valid regular expression: ${messageOf(error)}`,
      { case: spec },
    );
  }
  return (line) => {
    const m = pattern.exec(line);
    return (m === null ? undefined : (m[1] ?? m[0])) || undefined;
  };
}
