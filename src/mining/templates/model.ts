/**
 * What the template miner works with. A template is a message shape: a list of tokens (the
 * message split at whitespace) in which a parameter is written `<*>`, either as the whole token
 * (`<*>`) or as part of it (`HWID=<*>)`).
 */

/** The marker of a parameter inside a template token. */
export const WILDCARD = "<*>";

/** One event template, as it is persisted and reported. */
export interface Template {
  /** Stable across runs: a later file continues with the same ids (see `MinerState`). */
  readonly id: number;
  /** The template's tokens; `<*>` marks a parameter. */
  readonly tokens: readonly string[];
  /** Lines assigned to it so far (over every file mined into the same state). */
  readonly count: number;
}

/**
 * The persisted state of a miner: enough to continue mining later with the same ids. `aliases`
 * records templates that were merged into another one (`{ "7": 3 }`: lines once given 7 are 3).
 *
 * @example
 * { "version": 1, "nextId": 3, "templates": [{ "id": 1, "tokens": ["Served", "block", "<*>"], "count": 12 }], "aliases": {} }
 */
export interface MinerState {
  readonly version: 1;
  readonly nextId: number;
  readonly templates: readonly Template[];
  readonly aliases: Readonly<Record<string, number>>;
  /** The header format the lines were split with, when one was used (LogPAI syntax). */
  readonly logFormat?: string;
}

/** A header format compiled from the LogPAI syntax: field names in order, `Content` among them. */
export interface LogFormat {
  /** The format as given, e.g. `<Date> <Time> <Level> <Component>: <Content>`. */
  readonly source: string;
  readonly fields: readonly string[];
  /** Splits a line into its header fields; `undefined` when the line does not have this shape. */
  readonly parse: (line: string) => Readonly<Record<string, string>> | undefined;
  /** Only the message part of a line (faster than `parse`); `undefined` when it does not match. */
  readonly content: (line: string) => string | undefined;
}
