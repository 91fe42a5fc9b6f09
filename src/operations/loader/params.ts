import { messageOf } from "../../core/index.ts";
import type { Operation, ParamValue } from "../model/index.ts";
import { isSecretMarker, processSources, readSource, type SourceReader } from "../secrets/index.ts";
import { OperationParamsError } from "./errors.ts";
import { didYouMean } from "./suggest.ts";
import { parseTemplate } from "./template.ts";

const NUMBER = /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$/;

/**
 * Turn `--param k=v` arguments into typed values for the operation's declared params: numbers
 * and booleans are converted, defaults filled in, and every unknown, duplicate, missing or
 * mistyped value reported at once (OperationParamsError).
 *
 * @example resolveParams(["release=v2", "workers=8"], operation) // { release: "v2", workers: 8 }
 */
export function resolveParams(
  args: readonly string[],
  operation: Pick<Operation, "params"> & Partial<Operation>,
  /** Where secret params' `source:` is read (default: this process's environment and files). */
  sources: SourceReader = processSources,
): Record<string, ParamValue> {
  const declared = operation.params ?? {};
  const names = Object.keys(declared);
  const problems: string[] = [];
  const given = new Map<string, string>();
  for (const arg of args) {
    const eq = arg.indexOf("=");
    if (eq <= 0) {
      problems.push(`${JSON.stringify(clip(arg))}: expected name=value`);
      continue;
    }
    const name = arg.slice(0, eq);
    const text = arg.slice(eq + 1);
    if (!Object.hasOwn(declared, name)) {
      const known = names.length ? `; declared: ${names.join(", ")}` : "; this operation declares no params";
      problems.push(
        `${JSON.stringify(clip(name))} is not a parameter of this operation${didYouMean(name, names)}${known}`,
      );
      continue;
    }
    if (given.has(name)) {
      problems.push(`${name} is given more than once`);
      continue;
    }
    given.set(name, text);
  }
  const values: Record<string, ParamValue> = {};
  for (const [name, param] of Object.entries(declared)) {
    const text = given.get(name);
    if (text === undefined && param.source !== undefined) {
      try {
        const value = readSource(name, param, sources);
        if (value !== undefined) define(values, name, value);
      } catch (error) {
        if (param.required || usedParams(operation).has(name)) problems.push(messageOf(error));
      }
      continue;
    }
    if (text !== undefined && isSecretMarker(text)) {
      problems.push(`${name}: ${text} stands for a secret that is never stored; pass the secret itself`);
      continue;
    }
    if (text === undefined) {
      if (param.default !== undefined) define(values, name, param.default);
      else if (param.required) problems.push(`${name} is required (--param ${name}=<${param.type}>)`);
      else if (usedParams(operation).has(name))
        problems.push(
          `${name} has no value and no default, but the operation uses \${params.${name}}; pass --param ${name}=<${param.type}> or declare a default`,
        );
      continue;
    }
    const value = convert(text, param.type);
    if (value === undefined) {
      problems.push(`${name}: got ${JSON.stringify(clip(text))}; expected ${expected(param.type)}`);
    } else define(values, name, value);
  }
  if (problems.length > 0) throw new OperationParamsError(problems);
  return values;
}

function convert(text: string, type: "string" | "number" | "boolean"): ParamValue | undefined {
  if (type === "string") return text;
  if (type === "boolean") return text === "true" ? true : text === "false" ? false : undefined;
  if (!NUMBER.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) && Math.abs(n) <= Number.MAX_SAFE_INTEGER ? n : undefined;
}

function expected(type: "string" | "number" | "boolean"): string {
  return type === "boolean"
    ? "true or false"
    : type === "number"
      ? "a finite number such as 4 or 2.5"
      : "text";
}

function define(target: Record<string, ParamValue>, name: string, value: ParamValue): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/** The params an operation's strings refer to (`${params.x}`), anywhere in the file. */
function usedParams(operation: Partial<Operation>): Set<string> {
  const used = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === "string") {
      for (const piece of parseTemplate(value).pieces)
        if (piece.kind === "ref" && piece.path[0] === "params" && piece.path[1]) used.add(piece.path[1]);
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === "object") Object.values(value).forEach(visit);
  };
  visit({ ...operation, params: undefined });
  return used;
}
