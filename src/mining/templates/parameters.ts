import { splitTokens } from "./mask.ts";
import type { Template } from "./model.ts";
import { compileToken, extractValues } from "./token-pattern.ts";

/**
 * The parameter values of a message under its template, in order — `[]` when the message does
 * not have the template's shape (another number of tokens).
 *
 * @example
 * extractParameters({ id: 1, tokens: ["Served", "block", "<*>", "to", "<*>"], count: 1 },
 *   "Served block blk_-12 to /10.0.0.1"); // ["blk_-12", "/10.0.0.1"]
 */
export function extractParameters(template: Template, message: string): string[] {
  const tokens = splitTokens(message);
  if (tokens.length !== template.tokens.length) return [];
  const values: string[] = [];
  template.tokens.forEach((t, i) => {
    values.push(...extractValues(compileToken(t), tokens[i] ?? ""));
  });
  return values;
}
