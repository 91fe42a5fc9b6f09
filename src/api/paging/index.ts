export { CursorCodec, type CursorValue } from "./cursor.ts";
export type { FieldSpec, FieldSpecs, FieldType } from "./fields.ts";
export { type FilterTerm, MAX_FILTER_LENGTH, parseFilter } from "./filter.ts";
export {
  DEFAULT_LIMIT,
  MAX_LIMIT,
  type Page,
  type PageQuery,
  type PaginateOptions,
  paginate,
} from "./paginate.ts";
export { parseSort, type SortKey } from "./sort.ts";
