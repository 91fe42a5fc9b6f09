/** What a collection lets clients filter and sort on. */
export type FieldType = "string" | "timestamp" | "number" | "boolean";

export interface FieldSpec {
  /** Column in the table (defaults to the field name). */
  readonly column?: string;
  readonly type: FieldType;
  /** When given, only these values are accepted (an enum). */
  readonly values?: readonly string[];
  /** Sortable fields must be NOT NULL columns, so that keyset paging stays exact. */
  readonly sortable?: boolean;
}

export type FieldSpecs = Readonly<Record<string, FieldSpec>>;

export function columnOf(specs: FieldSpecs, field: string): string {
  return specs[field]?.column ?? field;
}
