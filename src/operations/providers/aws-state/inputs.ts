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
    private readonly prefix: string,
  ) {}

  static of(action: string, input: unknown, known: readonly string[], prefix = ""): Inputs {
    const where = prefix === "" ? "with" : prefix;
    if (typeof input !== "object" || input === null || Array.isArray(input))
      throw new ActionInputError(action, where, "must be a map");
    const record = input as Record<string, unknown>;
    for (const key of Object.keys(record))
      if (!known.includes(key))
        throw new ActionInputError(
          action,
          prefix === "" ? key : `${prefix}.${key}`,
          `unknown field; expected one of ${known.join(", ")}`,
        );
    return new Inputs(action, record, prefix);
  }

  fail(field: string, message: string): never {
    throw new ActionInputError(this.action, this.prefix === "" ? field : `${this.prefix}.${field}`, message);
  }

  has(field: string): boolean {
    return this.record[field] !== undefined;
  }

  string(field: string): string {
    const v = this.record[field];
    if (typeof v !== "string" || v === "") this.fail(field, "is required: a non-empty string");
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
      this.fail(field, `is required: a whole number, at least ${min}`);
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
    return v.map((item, i) => each(Inputs.of(this.action, item, known, this.path(`${field}.${i}`))));
  }

  /** A map field, read with the same checks (its errors name `field.name`). */
  map(field: string, known: readonly string[]): Inputs {
    return Inputs.of(this.action, this.record[field], known, this.path(field));
  }

  private path(field: string): string {
    return this.prefix === "" ? field : `${this.prefix}.${field}`;
  }
}
