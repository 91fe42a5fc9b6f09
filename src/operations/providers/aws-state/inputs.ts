import { ActionInputError } from "../errors.ts";

/**
 * Reading a step's `with` for an AWS action: the API's parameters in snake_case, each checked
 * with its field's name in the error (`targets.1.id`), so `opsdojo check` points at the line.
 *
 * @example
 * const i = Inputs.of("iam.attach_role_policy", input, ["role_name", "policy_arn"]);
 * const role = i.string("role_name");
 */
export class Inputs {
  private constructor(
    readonly action: string,
    readonly record: Record<string, unknown>,
    private readonly prefix: readonly (string | number)[],
  ) {}

  static of(
    action: string,
    input: unknown,
    known: readonly string[],
    prefix: readonly (string | number)[] = [],
  ): Inputs {
    if (typeof input !== "object" || input === null || Array.isArray(input))
      throw error(action, prefix.length === 0 ? [] : prefix, "must be a map");
    const record = input as Record<string, unknown>;
    for (const key of Object.keys(record))
      if (!known.includes(key))
        throw error(action, [...prefix, key], `unknown field; expected one of ${known.join(", ")}`);
    return new Inputs(action, record, prefix);
  }

  fail(field: string, message: string): never {
    throw error(
      this.action,
      field === "with" && this.prefix.length === 0 ? [] : [...this.prefix, field],
      message,
    );
  }

  /** A problem with an item of a list field: `failAt(["scaling_processes", 1], …)`. */
  failAt(path: readonly (string | number)[], message: string): never {
    throw error(this.action, [...this.prefix, ...path], message);
  }

  has(field: string): boolean {
    return this.record[field] !== undefined;
  }

  string(field: string): string {
    const v = this.record[field];
    if (typeof v !== "string" || v === "")
      this.fail(field, `${v === undefined ? "is required:" : "must be"} a non-empty string`);
    return v;
  }

  optionalString(field: string): string | undefined {
    return this.has(field) ? this.string(field) : undefined;
  }

  oneOf<const T extends string>(field: string, values: readonly T[]): T {
    const v = this.record[field];
    if (typeof v !== "string" || !values.includes(v as T))
      this.fail(field, `must be one of ${values.join(", ")}`);
    return v as T;
  }

  integer(field: string, min = 0): number {
    const v = this.record[field];
    if (typeof v !== "number" || !Number.isInteger(v) || v < min)
      this.fail(field, `${v === undefined ? "is required:" : "must be"} a whole number, at least ${min}`);
    return v;
  }

  optionalInteger(field: string, min = 0): number | undefined {
    return this.has(field) ? this.integer(field, min) : undefined;
  }

  optionalBoolean(field: string): boolean | undefined {
    const v = this.record[field];
    if (v === undefined) return undefined;
    if (typeof v !== "boolean") this.fail(field, "must be true or false");
    return v;
  }

  strings(field: string): string[] {
    const v = this.record[field];
    if (!Array.isArray(v) || v.length === 0 || v.some((s) => typeof s !== "string" || s === ""))
      this.fail(field, "is required: a non-empty list of strings");
    return v as string[];
  }

  optionalStrings(field: string): string[] | undefined {
    return this.has(field) ? this.strings(field) : undefined;
  }

  /** A non-empty list of maps, each read by `each` (its errors name `field.N.name`). */
  list<T>(field: string, known: readonly string[], each: (item: Inputs) => T): T[] {
    const v = this.record[field];
    if (!Array.isArray(v) || v.length === 0) this.fail(field, "is required: a non-empty list");
    return v.map((item, i) => each(Inputs.of(this.action, item, known, [...this.prefix, field, i])));
  }

  /** A map field, read with the same checks (its errors name `field.name`). */
  map(field: string, known: readonly string[]): Inputs {
    return Inputs.of(this.action, this.record[field], known, [...this.prefix, field]);
  }
}

/** The error names the field dotted (`targets.0.port`) and carries its path for the loader's positions. */
function error(action: string, path: readonly (string | number)[], message: string): ActionInputError {
  if (path.length === 0) return new ActionInputError(action, "with", message);
  return new ActionInputError(action, path.join("."), message, path.length > 1 ? path : undefined);
}
