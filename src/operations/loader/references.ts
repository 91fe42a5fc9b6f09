// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} is the operation file's own reference syntax, written literally on purpose.
import type { Segment } from "./positions.ts";
import { didYouMean } from "./suggest.ts";
import { parseTemplate } from "./template.ts";

/** What a `${…}` may refer to at one place in the file. */
export interface ReferenceContext {
  readonly params: readonly string[];
  /** Vars defined on every target (the only ones safe to use). */
  readonly commonVars: readonly string[];
  /** For each var defined on some targets only, the targets that lack it. */
  readonly partialVars: ReadonlyMap<string, readonly string[]>;
  /** Step names in file order. */
  readonly steps: readonly string[];
  /** Index of the step being checked; undefined in steady_state. */
  readonly step: number | undefined;
  /** Whether the step's own output is available (its post-checks and undo). */
  readonly ownOutput: boolean;
}

export interface ReferenceProblem {
  readonly path: readonly Segment[];
  /** Offset of the reference within the string (for the column). */
  readonly offset: number;
  readonly raw: string;
  readonly message: string;
}

/** Every string under `value` with its path, deep through lists and mappings. */
export function* stringsIn(value: unknown, path: Segment[]): Generator<[string, Segment[]]> {
  if (typeof value === "string") yield [value, path];
  else if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) yield* stringsIn(item, [...path, i]);
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) yield* stringsIn(v, [...path, k]);
  }
}

/** Check every `${…}` in the strings under `value` against what is in scope there. */
export function checkReferences(
  value: unknown,
  path: Segment[],
  context: ReferenceContext,
): ReferenceProblem[] {
  const problems: ReferenceProblem[] = [];
  for (const [text, at] of stringsIn(value, path)) {
    if (!text.includes("$")) continue;
    const parsed = parseTemplate(text);
    for (const p of parsed.problems)
      problems.push({ path: at, offset: p.offset, raw: p.raw, message: p.message });
    for (const piece of parsed.pieces) {
      if (piece.kind !== "ref") continue;
      const why = judge(piece.path, context);
      if (why)
        problems.push({
          path: at,
          offset: piece.offset,
          raw: piece.raw,
          message: `\${${piece.ref}}: ${why}`,
        });
    }
  }
  return problems;
}

function judge(path: readonly string[], c: ReferenceContext): string | undefined {
  const [root, second, ...rest] = path;
  switch (root) {
    case "params": {
      if (second === undefined || rest.length > 0) return "expected ${params.<name>}";
      if (c.params.includes(second)) return undefined;
      const declared = c.params.length
        ? `declared: ${c.params.join(", ")}`
        : "this operation declares no params";
      return `unknown parameter ${JSON.stringify(second)}${didYouMean(second, c.params)}; ${declared}`;
    }
    case "target": {
      if (second === undefined || rest.length > 0) return "expected ${target.name} or ${target.<var>}";
      if (second === "name" || c.commonVars.includes(second)) return undefined;
      const lacking = c.partialVars.get(second);
      if (lacking)
        return `the var ${JSON.stringify(second)} is not defined on every target (missing on ${lacking.join(", ")})`;
      const vars = ["name", ...c.commonVars];
      return `unknown target var ${JSON.stringify(second)}${didYouMean(second, vars)}; every target has: ${vars.join(", ")}`;
    }
    case "run":
      return second === "id" && rest.length === 0 ? undefined : "expected ${run.id}";
    case "steps": {
      if (second === undefined || rest[0] !== "output" || rest.length < 2) {
        return "expected ${steps.<step>.output.<field>}";
      }
      const index = c.steps.indexOf(second);
      if (index === -1) return `unknown step ${JSON.stringify(second)}${didYouMean(second, c.steps)}`;
      if (c.step === undefined)
        return "steady-state checks run outside the steps; no step output is available";
      if (index < c.step || (index === c.step && c.ownOutput)) return undefined;
      if (index === c.step)
        return "a step's own output exists only after it ran (usable in its post and undo)";
      return `refers to the step ${JSON.stringify(second)}, which runs later (step ${index + 1}; this is step ${c.step + 1})`;
    }
    default:
      return `unknown reference; expected \${params.<name>}, \${target.name}, \${target.<var>}, \${steps.<step>.output.<field>} or \${run.id}${didYouMean(root ?? "", ["params", "target", "steps", "run"])}`;
  }
}
