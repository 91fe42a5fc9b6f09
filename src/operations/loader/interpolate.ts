import type { ParamValue } from "../model/index.ts";
import { InterpolationError } from "./errors.ts";
import { parseTemplate } from "./template.ts";

/** What `${…}` can see while a step of one target runs. */
export interface InterpolationScope {
  readonly params?: Readonly<Record<string, ParamValue>>;
  readonly target?: { readonly name: string; readonly vars?: Readonly<Record<string, ParamValue>> };
  readonly steps?: Readonly<Record<string, { readonly output: unknown }>>;
  readonly run?: { readonly id: string };
}

/**
 * Substitute `${…}` references in every string inside `value` (deep through lists and
 * mappings; keys are left alone). A string that is exactly one reference takes the referenced
 * value itself (`"${target.port}"` → 8081, a number); anywhere else the value is written as
 * text (mappings and lists as JSON). Only own properties are looked up and nothing is ever
 * evaluated, so `${constructor}` or `${params.__proto__}` simply do not resolve.
 *
 * @example interpolate({ path: "${target.dir}/app.conf" }, { target: { name: "app-1", vars: { dir: "/srv/a" } } })
 * // → { path: "/srv/a/app.conf" }
 */
export function interpolate<T>(value: T, scope: InterpolationScope): T {
  return walk(value, scope) as T;
}

function walk(value: unknown, scope: InterpolationScope): unknown {
  if (typeof value === "string") return substitute(value, scope);
  if (Array.isArray(value)) return value.map((item) => walk(item, scope));
  if (value !== null && typeof value === "object") {
    // fromEntries defines own properties, so a `__proto__` key stays data and never a prototype.
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, scope)]));
  }
  return value;
}

function substitute(text: string, scope: InterpolationScope): unknown {
  if (!text.includes("$")) return text;
  const { pieces, problems } = parseTemplate(text);
  const problem = problems[0];
  if (problem) throw new InterpolationError(problem.raw.slice(2, -1), problem.message);
  const only = pieces[0];
  if (pieces.length === 1 && only?.kind === "ref") return resolve(only.path, only.ref, scope);
  let out = "";
  for (const piece of pieces) {
    if (piece.kind === "text") out += piece.text;
    else {
      const resolved = resolve(piece.path, piece.ref, scope);
      out += typeof resolved === "object" ? JSON.stringify(resolved) : String(resolved);
    }
  }
  return out;
}

function resolve(path: readonly string[], ref: string, scope: InterpolationScope): unknown {
  const [root, ...rest] = path;
  let base: unknown;
  switch (root) {
    case "params":
      base = scope.params;
      break;
    case "run":
      base = scope.run;
      break;
    case "steps":
      base = scope.steps;
      break;
    case "target": {
      if (rest.length === 1 && rest[0] === "name" && scope.target) return scope.target.name;
      base = scope.target?.vars;
      break;
    }
    default:
      throw new InterpolationError(ref, "unknown reference; expected params., target., steps. or run.id");
  }
  for (const key of rest) {
    if (base === null || typeof base !== "object" || !Object.hasOwn(base, key)) {
      throw new InterpolationError(ref, `nothing is known as ${JSON.stringify(key)} here`);
    }
    base = (base as Record<string, unknown>)[key];
  }
  if (base === undefined || base === null) throw new InterpolationError(ref, "has no value");
  return base;
}
