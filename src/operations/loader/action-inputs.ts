// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} is the operation file's own reference syntax, written literally on purpose.

import { messageOf } from "../../core/index.ts";
import type { ActionRegistry } from "../actions/index.ts";
import { ActionInputError, PathEscapeError } from "../providers/errors.ts";
import type { Segment } from "./positions.ts";

export interface ActionInputProblem {
  readonly path: readonly Segment[];
  readonly message: string;
  /** The problem is the field's name (unknown, not a variable name): point at the key. */
  readonly key: boolean;
}

/**
 * A string holding a reference stands for a value known only at run time: it becomes "/x" for
 * the check — absolute, so that `"${target.dir}/app.conf"` passes as a path — and a problem in a
 * field holding one is not reported (its real value may well be fine).
 */
const STAND_IN = "/x";
const hasReference = (value: unknown): boolean =>
  typeof value === "string"
    ? value.includes("${")
    : Array.isArray(value)
      ? value.some(hasReference)
      : value !== null && typeof value === "object" && Object.values(value).some(hasReference);

function standIn(value: unknown): unknown {
  if (typeof value === "string") return value.replace(/\$\{[^}]*\}/g, STAND_IN);
  if (Array.isArray(value)) return value.map(standIn);
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, standIn(v)]));
  return value;
}

const asMap = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** The field an input error is about, as a path inside `with` (`env.X` → ["env", "X"]). */
function fieldOf(error: unknown, input: Record<string, unknown>): Segment[] | undefined {
  if (error instanceof ActionInputError) {
    if (Array.isArray(error.details.path)) return [...(error.details.path as Segment[])];
    const field = String(error.details.field ?? "with");
    if (field === "with") return [];
    const [head, ...rest] = field.split(".");
    return [head as string, ...(rest.length > 0 ? [rest.join(".")] : [])];
  }
  // `..` or `/` itself: the error names the path, not the field that holds it.
  if (error instanceof PathEscapeError) {
    const key = Object.keys(input).find((k) => input[k] === error.details.path);
    return key === undefined ? [] : [key];
  }
  return undefined;
}

const MAX_PROBLEMS_PER_INPUT = 10;

/**
 * The problems the action itself finds in its inputs, where they are known before the run. An
 * action stops at the first, so each field found wrong is left out and the rest checked again.
 */
function check(
  actions: ActionRegistry,
  action: unknown,
  input: unknown,
  path: Segment[],
): ActionInputProblem[] {
  const provider = typeof action === "string" ? actions.providers.get(action) : undefined;
  if (provider === undefined) return [];
  const given = input === undefined ? {} : input;
  const remaining = { ...asMap(given) };
  const seen = new Set<string>();
  const problems: ActionInputProblem[] = [];
  for (let round = 0; round < MAX_PROBLEMS_PER_INPUT; round++) {
    try {
      provider.validate(standIn(input === undefined || asMap(given) === given ? remaining : given));
      return problems;
    } catch (error) {
      const inWith = fieldOf(error, remaining);
      if (inWith === undefined) return problems;
      const name = inWith.join(".");
      if (seen.has(name)) {
        // Left out, it is missing, and required: a stand-in lets the other fields be checked.
        if (inWith.length !== 1 || name in remaining || seen.has(`${name}?`)) return problems;
        seen.add(`${name}?`);
        remaining[name] = STAND_IN;
        continue;
      }
      seen.add(name);
      let value: unknown = given;
      for (const segment of inWith)
        value = Array.isArray(value) ? value[Number(segment)] : asMap(value)[segment];
      if (!hasReference(value)) {
        let message = messageOf(error);
        const prefix = [`${action}: ${name}: `, `${action}: `].find((p) => message.startsWith(p));
        if (prefix !== undefined) message = message.slice(prefix.length);
        const key = /^unknown field|not a valid variable name/.test(message);
        problems.push({ path: [...path, ...inWith], message: `${action}: ${message}`, key });
      }
      if (inWith.length === 0) return problems;
      dropField(remaining, inWith);
    }
  }
  return problems;
}

function dropField(input: Record<string, unknown>, field: readonly Segment[]): void {
  const [head, ...rest] = field;
  if (rest.length === 0) {
    delete input[String(head)];
    return;
  }
  const held = input[String(head)];
  // A field inside a list item (`targets.0.port`): the item is copied, the list keeps its length.
  if (Array.isArray(held) && rest.length > 1) {
    const items = [...held];
    const item = { ...asMap(items[Number(rest[0])]) };
    dropField(item, rest.slice(1));
    items[Number(rest[0])] = item;
    input[String(head)] = items;
    return;
  }
  const inner = { ...asMap(held) };
  dropField(inner, rest);
  input[String(head)] = inner;
}

/**
 * What each step's action says of its `with:` (and of an explicit undo's), checked at load time
 * so that `validate` and `run` refuse, say, `mode: 644` or a relative path before anything runs,
 * rather than the run failing at that step. Only values without references are judged.
 */
export function actionInputProblems(
  op: Record<string, unknown>,
  actions: ActionRegistry,
): ActionInputProblem[] {
  const problems: ActionInputProblem[] = [];
  const steps = Array.isArray(op.steps) ? op.steps : [];
  for (const [i, raw] of steps.entries()) {
    const step = asMap(raw);
    problems.push(...check(actions, step.uses, step.with, ["steps", i, "with"]));
    const undo = asMap(step.undo);
    if (undo.uses !== undefined)
      problems.push(...check(actions, undo.uses, undo.with, ["steps", i, "undo", "with"]));
  }
  return problems;
}
