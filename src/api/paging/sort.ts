import { ProblemError } from "../problem-error.ts";
import type { FieldSpecs } from "./fields.ts";

export interface SortKey {
  readonly field: string;
  readonly descending: boolean;
}

/** `sort=name` or `sort=-created_at`, several joined by commas; the id always breaks ties. */
export function parseSort(text: string | undefined, specs: FieldSpecs): SortKey[] {
  if (text === undefined || text === "") return [];
  const keys: SortKey[] = [];
  for (const part of text.split(",")) {
    const descending = part.startsWith("-");
    const field = descending ? part.slice(1) : part;
    const spec = specs[field];
    if (!spec?.sortable) {
      const sortable = Object.entries(specs)
        .filter(([, s]) => s.sortable)
        .map(([f]) => f);
      const detail = `cannot sort on "${field.slice(0, 40)}"; sortable fields: ${sortable.join(", ")}`;
      throw new ProblemError("invalid-filter", detail, {
        errors: [{ detail, pointer: "/sort", in: "query" }],
      });
    }
    if (keys.some((k) => k.field === field)) continue;
    keys.push({ field, descending });
  }
  return keys;
}
