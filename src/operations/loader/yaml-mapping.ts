import { LineCounter, parseDocument } from "yaml";
import { messageOf } from "../../core/index.ts";
import type { FileIssue } from "./errors.ts";
import { displayPath, Locator, type Position, type Segment } from "./positions.ts";
import { show } from "./schema-errors.ts";

/** A versioned YAML/JSON file read as a mapping, with where each value is written. */
export interface YamlMapping {
  readonly value: Record<string, unknown>;
  readonly locator: Locator;
  /** An issue in this file at a position, for a path. */
  readonly issue: (pos: Position, path: readonly Segment[], message: string) => FileIssue;
  /** Unknown tags, which the parser only warns about and drops: here nothing is dropped silently. */
  readonly tagIssues: readonly FileIssue[];
}

export interface YamlMappingOptions {
  readonly maxBytes: number;
  /** What the file must start with, for the message when it is not a mapping: `opsdojo: survey/v1`. */
  readonly format: string;
  /** Throws the loader's own typed error with the issues. */
  readonly fail: (issues: FileIssue[], cause?: unknown) => never;
}

/**
 * The steps every file format of opsdojo (operation/v1, scenario/v1, survey/v1) reads its text by:
 * a size bound, YAML (or JSON) syntax with each error at its line and column, aliases bounded, and
 * a mapping at the top. What the mapping must hold is the caller's schema.
 */
export function readYamlMapping(text: string, file: string, options: YamlMappingOptions): YamlMapping {
  const issue = (pos: Position, path: readonly Segment[], message: string): FileIssue => ({
    file,
    ...pos,
    path: displayPath(path),
    message,
  });
  if (Buffer.byteLength(text, "utf8") > options.maxBytes) {
    options.fail([issue({ line: 1, column: 1 }, [], `the file is larger than ${options.maxBytes} bytes`)]);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const locator = new Locator(doc, lines);
  if (doc.errors.length > 0) {
    const seen = new Set<string>();
    options.fail(
      doc.errors
        .filter((e) => !seen.has(syntaxMessage(e.message)) && Boolean(seen.add(syntaxMessage(e.message))))
        .map((e) => issue(locator.at(e.pos[0]), [], `not valid YAML or JSON: ${syntaxMessage(e.message)}`)),
    );
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    options.fail([issue({ line: 1, column: 1 }, [], `cannot read the document: ${messageOf(error)}`)], error);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    options.fail([
      issue(
        locator.position([]),
        [],
        `got ${show(value)}; expected a mapping that starts with "${options.format}"`,
      ),
    ]);
  }
  const tagIssues = doc.warnings
    .filter((w) => w.code === "TAG_RESOLVE_FAILED")
    .map((w) => issue(locator.at(w.pos[0]), [], `${syntaxMessage(w.message)}; tags are not supported here`));
  return { value: value as Record<string, unknown>, locator, issue, tagIssues };
}

function syntaxMessage(message: string): string {
  // The parser recurses per level of nesting; a stack overflow there means absurd nesting.
  if (message.includes("Maximum call stack size exceeded")) return "nested too deeply";
  return (message.split("\n")[0] ?? "").trim();
}
