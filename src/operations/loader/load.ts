// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} is the operation file's own reference syntax, written literally on purpose.

import { readFile } from "node:fs/promises";
import { Ajv, type ValidateFunction } from "ajv";
import { isScalar } from "yaml";
import { FileUnreadableError } from "../../core/index.ts";
import { ACTIONS, type ActionRegistry } from "../actions/index.ts";
import { IDENTIFIER_PATTERN, type Operation, operationSchemasOf, parseDuration } from "../model/index.ts";
import { actionInputProblems } from "./action-inputs.ts";
import { type FileIssue, OperationFileError } from "./errors.ts";
import { displayPath, type Locator, type Position, type Segment } from "./positions.ts";
import { checkReferences, type ReferenceContext } from "./references.ts";
import { placeSchemaErrors, show } from "./schema-errors.ts";
import { readYamlMapping } from "./yaml-mapping.ts";

/** Larger files are refused before parsing: no operation needs 4 MiB of YAML. */
export const MAX_OPERATION_FILE_BYTES = 4 * 1024 * 1024;

/**
 * The schema is compiled on first use (every command imports the loader, few parse a file), once
 * per action registry: its `uses` enum is the registry's names.
 */
const compiled = new WeakMap<ActionRegistry, ValidateFunction>();
function schemaValidator(actions: ActionRegistry): ValidateFunction {
  let validate = compiled.get(actions);
  if (validate === undefined) {
    const schema = operationSchemasOf(actions.names).OperationSchema;
    validate = new Ajv({ allErrors: true, strict: false, verbose: true }).compile(schema);
    compiled.set(actions, validate);
  }
  return validate;
}

export interface LoadOptions {
  /** The actions the file may use; the built-in ones unless given. */
  readonly actions?: ActionRegistry;
}

/**
 * Read and check an operation file (YAML or JSON). Every problem is reported at once as an
 * OperationFileError whose `issues` each carry file, line, column and what was expected.
 *
 * @example const op = await loadOperation("ops/roll-app-config.yaml");
 */
export async function loadOperation(file: string, options: LoadOptions = {}): Promise<Operation> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new FileUnreadableError(file, error);
  }
  return parseOperation(text, file, options);
}

/** Check the text of an operation file; `file` names it in the issues. */
export function parseOperation(text: string, file: string, options: LoadOptions = {}): Operation {
  const actions = options.actions ?? ACTIONS;
  const { value, locator, issue, tagIssues } = readYamlMapping(text, file, {
    maxBytes: MAX_OPERATION_FILE_BYTES,
    format: "opsdojo: operation/v1",
    fail: (issues, cause) => {
      throw new OperationFileError(file, issues, cause === undefined ? {} : { cause });
    },
  });
  const issues: FileIssue[] = [...tagIssues];
  const validate = schemaValidator(actions);
  if (!validate(value)) {
    for (const p of placeSchemaErrors(validate.errors ?? [], locator))
      issues.push({ file, ...p, path: displayPath(p.path) });
  }
  for (const p of semanticProblems(value as Record<string, unknown>)) {
    if (p.secondary && issues.some((i) => i.path === displayPath(p.path))) continue;
    issues.push(issue(p.position ?? locator.position(p.path, { key: p.key ?? false }), p.path, p.message));
  }
  // What an action says of its inputs only once they are plain data that the schema accepts.
  const early = [...issues];
  for (const p of actionInputProblems(value as Record<string, unknown>, actions)) {
    const within = displayPath(p.path.slice(0, p.path[3] === "with" ? 4 : 3));
    if (early.some((i) => i.path === within || i.path.startsWith(`${within}.`) || i.path === "")) continue;
    issues.push(issue(locator.position(p.path, { key: p.key }), p.path, p.message));
  }
  for (const p of referenceProblems(value as Record<string, unknown>)) {
    issues.push(issue(referencePosition(text, locator, p.path, p.raw, p.offset), p.path, p.message));
  }
  if (issues.length > 0) {
    issues.sort((a, b) => a.line - b.line || a.column - b.column);
    throw new OperationFileError(file, issues);
  }
  return value as Operation;
}

/** A secret is text that comes from the caller or its source, never from the file itself. */
function secretProblems(name: string, param: Record<string, unknown>): SemanticProblem[] {
  const problems: SemanticProblem[] = [];
  if (param.source !== undefined && param.secret !== true)
    problems.push({
      path: ["params", name, "source"],
      key: true,
      message: `a source is for secret params; add secret: true to ${name}, or pass it with --param`,
    });
  if (param.secret !== true) return problems;
  if (param.type !== undefined && param.type !== "string")
    problems.push({
      path: ["params", name, "type"],
      message: `got ${show(param.type)}; a secret param is a string`,
    });
  if (param.default !== undefined)
    problems.push({
      path: ["params", name, "default"],
      key: true,
      message: `a secret param has no default (the file is not secret); declare source: env:NAME or file:PATH instead`,
    });
  return problems;
}

interface SemanticProblem {
  readonly path: readonly Segment[];
  readonly message: string;
  readonly key?: boolean;
  readonly position?: Position;
  /** Left out when the schema already found a problem at the same place. */
  readonly secondary?: boolean;
}

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const asMap = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const nameOf = (v: unknown): string | undefined => {
  const name = asMap(v).name;
  return typeof name === "string" ? name : undefined;
};

/** What the schema cannot say: unique names, defaults of the declared type, durations that fit. */
function semanticProblems(op: Record<string, unknown>): SemanticProblem[] {
  const problems: SemanticProblem[] = [...nonJsonValues(op, [])];
  const unique = (list: unknown[], section: string, what: string) => {
    const first = new Map<string, number>();
    for (const [i, item] of list.entries()) {
      const name = nameOf(item);
      if (name === undefined) continue;
      const earlier = first.get(name);
      if (earlier === undefined) first.set(name, i);
      else
        problems.push({
          path: [section, i, "name"],
          message: `${what} name ${show(name)} is already used by ${section}[${earlier}]; ${what} names must be unique`,
        });
    }
  };
  unique(asList(op.steps), "steps", "step");
  unique(asList(op.targets), "targets", "target");

  for (const [name, raw] of Object.entries(asMap(op.params))) {
    const param = asMap(raw);
    problems.push(...secretProblems(name, param));
    if (param.default === undefined || typeof param.type !== "string") continue;
    if (typeof param.default !== param.type) {
      problems.push({
        path: ["params", name, "default"],
        message: `got ${show(param.default)}; expected a ${param.type}, the declared type of ${name}`,
      });
    } else if (typeof param.default === "number" && !Number.isFinite(param.default)) {
      problems.push({
        path: ["params", name, "default"],
        message: `got ${show(param.default)}; expected a finite number`,
      });
    }
  }
  for (const [i, target] of asList(op.targets).entries()) {
    // A sudo password is a secret, never text of the file: it must come from a secret param.
    const passwordParam = asMap(asMap(target).become).password_param;
    if (typeof passwordParam === "string" && asMap(asMap(op.params)[passwordParam]).secret !== true) {
      problems.push({
        path: ["targets", i, "become", "password_param"],
        message: `${show(passwordParam)} is not a secret param; declare params.${passwordParam} with secret: true (and a source)`,
      });
    }
    if (Object.hasOwn(asMap(asMap(target).vars), "name")) {
      problems.push({
        path: ["targets", i, "vars", "name"],
        key: true,
        message: "a var cannot be called name: ${target.name} is the target's own name",
      });
    }
  }
  // The pattern admits any digits; a duration must also fit in a safe number of milliseconds.
  const duration = (v: unknown, path: Segment[]) => {
    if (typeof v === "string" && /^[0-9]+(ms|s|m|h)$/.test(v) && parseDuration(v) === undefined) {
      problems.push({ path, message: `got ${show(v)}; the duration is too large` });
    }
  };
  const checks = (list: unknown, path: Segment[]) => {
    for (const [i, check] of asList(list).entries()) duration(asMap(check).within, [...path, i, "within"]);
  };
  checks(op.steady_state, ["steady_state"]);
  for (const [i, raw] of asList(op.steps).entries()) {
    const step = asMap(raw);
    duration(step.timeout, ["steps", i, "timeout"]);
    duration(asMap(step.retries).delay, ["steps", i, "retries", "delay"]);
    checks(step.pre, ["steps", i, "pre"]);
    checks(step.post, ["steps", i, "post"]);
  }
  return problems;
}

/**
 * Tags such as !!binary, !!set or .nan give values JSON cannot hold (Buffers, Sets, NaN); an
 * operation is plain data because it is journalled and published as JSON.
 */
function* nonJsonValues(value: unknown, path: Segment[]): Generator<SemanticProblem> {
  if (value === null || typeof value === "string" || typeof value === "boolean") return;
  if (typeof value === "number") {
    if (!Number.isFinite(value))
      yield { path, message: `got ${show(value)}; expected a finite number`, secondary: true };
    return;
  }
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) yield* nonJsonValues(item, [...path, i]);
    return;
  }
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [k, v] of Object.entries(value)) yield* nonJsonValues(v, [...path, k]);
    return;
  }
  const what =
    value instanceof Uint8Array
      ? "binary data"
      : value instanceof Set
        ? "a set"
        : value instanceof Map
          ? "a map with non-text keys"
          : value instanceof Date
            ? "a timestamp"
            : typeof value;
  yield {
    path,
    message: `got ${what}; expected plain data (text, number, true/false, null, list or mapping)`,
  };
}

function referenceProblems(op: Record<string, unknown>) {
  const targets = Array.isArray(op.targets) ? op.targets.map(asMap) : [{ name: "local", vars: {} }];
  const identifier = new RegExp(IDENTIFIER_PATTERN);
  const named = (m: unknown) => Object.keys(asMap(m)).filter((k) => identifier.test(k));
  const varSets = targets.map((t) => named(t.vars));
  const allVars = new Set(varSets.flat());
  const commonVars = [...allVars].filter((v) => varSets.every((set) => set.includes(v)));
  const partialVars = new Map<string, string[]>();
  for (const v of allVars) {
    if (commonVars.includes(v)) continue;
    partialVars.set(
      v,
      targets
        .filter((_, i) => !varSets[i]?.includes(v))
        .map((t, i) => (typeof t.name === "string" ? t.name : `#${i + 1}`)),
    );
  }
  const steps = asList(op.steps);
  const base = {
    params: named(op.params),
    commonVars,
    partialVars,
    steps: steps.map((s) => nameOf(s) ?? ""),
  };
  const context = (step: number | undefined, ownOutput: boolean): ReferenceContext => ({
    ...base,
    step,
    ownOutput,
  });
  const problems = checkReferences(op.steady_state, ["steady_state"], context(undefined, false));
  for (const [i, raw] of steps.entries()) {
    const step = asMap(raw);
    problems.push(...checkReferences(step.with, ["steps", i, "with"], context(i, false)));
    problems.push(...checkReferences(step.pre, ["steps", i, "pre"], context(i, false)));
    problems.push(...checkReferences(step.post, ["steps", i, "post"], context(i, true)));
    problems.push(...checkReferences(step.undo, ["steps", i, "undo"], context(i, true)));
  }
  return problems;
}

/** The column of the reference itself inside its string, where the source shows it verbatim. */
function referencePosition(
  text: string,
  locator: Locator,
  path: readonly Segment[],
  raw: string,
  offset: number,
): Position {
  const node = locator.node(path);
  if (isScalar(node) && node.range) {
    const [start, end] = node.range;
    const source = text.slice(start, end);
    // The reference is written verbatim in the source (it has no characters YAML escapes), so
    // the n-th occurrence in the value is the n-th in the source.
    const at = nthIndex(source, raw, occurrence(String(node.value), raw, offset));
    return locator.at(at >= 0 ? start + at : start);
  }
  return locator.position(path);
}

function occurrence(value: string, raw: string, offset: number): number {
  let n = 0;
  for (let i = value.indexOf(raw); i !== -1 && i < offset; i = value.indexOf(raw, i + 1)) n++;
  return n;
}

function nthIndex(source: string, raw: string, n: number): number {
  let i = source.indexOf(raw);
  for (let k = 0; k < n && i !== -1; k++) i = source.indexOf(raw, i + 1);
  return i;
}
