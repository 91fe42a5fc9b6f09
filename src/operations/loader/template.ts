/** A string with `${…}` references, split into literal text and references. */
export type Piece =
  | { readonly kind: "text"; readonly text: string }
  | {
      readonly kind: "ref";
      readonly ref: string;
      readonly path: readonly string[];
      readonly raw: string;
      readonly offset: number;
    };

export interface TemplateProblem {
  /** Offset of the `${` in the string. */
  readonly offset: number;
  readonly raw: string;
  readonly message: string;
}

const REFERENCE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_-]+)*$/;
const MAX_REFERENCE = 300;

/**
 * Split a string into text and references. `$${` writes a literal `${` (for shell commands
 * that need one). A reference is a dotted path — nothing else, so there is nothing to evaluate.
 */
export function parseTemplate(text: string): { pieces: Piece[]; problems: TemplateProblem[] } {
  const pieces: Piece[] = [];
  const problems: TemplateProblem[] = [];
  let literal = "";
  let i = 0;
  while (i < text.length) {
    const start = text.indexOf("$", i);
    if (start === -1) {
      literal += text.slice(i);
      break;
    }
    literal += text.slice(i, start);
    if (text.startsWith("$${", start)) {
      literal += "${";
      i = start + 3;
      continue;
    }
    if (!text.startsWith("${", start)) {
      literal += "$";
      i = start + 1;
      continue;
    }
    const end = text.indexOf("}", start + 2);
    if (end === -1) {
      problems.push({
        offset: start,
        raw: clip(text.slice(start)),
        message: `unterminated reference ${JSON.stringify(clip(text.slice(start)))}: "\${" without a closing "}" (write "$\${" for a literal "\${")`,
      });
      literal += text.slice(start);
      break;
    }
    const raw = text.slice(start, end + 1);
    const ref = text.slice(start + 2, end).trim();
    if (ref.length > MAX_REFERENCE || !REFERENCE.test(ref)) {
      problems.push({
        offset: start,
        raw: clip(raw),
        message: `${JSON.stringify(clip(raw))} is not a reference; expected \${params.<name>}, \${target.name}, \${target.<var>}, \${steps.<step>.output.<field>} or \${run.id} (write "$\${" for a literal "\${")`,
      });
      literal += raw;
      i = end + 1;
      continue;
    }
    if (literal) pieces.push({ kind: "text", text: literal });
    literal = "";
    pieces.push({ kind: "ref", ref, path: ref.split("."), raw, offset: start });
    i = end + 1;
  }
  if (literal) pieces.push({ kind: "text", text: literal });
  return { pieces, problems };
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
