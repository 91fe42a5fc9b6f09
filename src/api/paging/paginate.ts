import { type Expression, type SelectQueryBuilder, type SqlBool, sql } from "kysely";
import { CursorCodec, type CursorValue, invalidCursor } from "./cursor.ts";
import { columnOf, type FieldSpecs } from "./fields.ts";
import { type FilterOp, parseFilter } from "./filter.ts";
import { parseSort, type SortKey } from "./sort.ts";

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

export interface PageQuery {
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
  readonly filter?: string | undefined;
  readonly sort?: string | undefined;
  readonly show_deleted?: boolean | undefined;
}

export interface Page<T> {
  readonly items: T[];
  readonly next_cursor?: string;
}

export interface PaginateOptions {
  /** Names the collection in the cursor digest so a cursor cannot wander between collections. */
  readonly collection: string;
  readonly fields: FieldSpecs;
  readonly codec: CursorCodec;
  /** Unique, non-null, the final tie-breaker (defaults to `id`). */
  readonly idColumn?: string;
  /** When set, rows with this column non-null are hidden unless `show_deleted=true`. */
  readonly deletedColumn?: string;
}

const SQL_OPS: Record<FilterOp, string> = {
  "=": "=",
  "!=": "<>",
  "<": "<",
  "<=": "<=",
  ">": ">",
  ">=": ">=",
};

function ref(column: string) {
  return sql.ref(column);
}

/**
 * Keyset pagination over any Kysely select: parse and apply `filter` and `sort`, continue after
 * the cursor, fetch one row more than asked to know whether another page exists.
 */
export async function paginate<DB, TB extends keyof DB, O extends Record<string, unknown>>(
  // biome-ignore lint/suspicious/noExplicitAny: callers pass a select whose columns we address dynamically
  query: SelectQueryBuilder<DB, TB, O> | SelectQueryBuilder<any, any, O>,
  page: PageQuery,
  options: PaginateOptions,
): Promise<Page<O>> {
  const idColumn = options.idColumn ?? "id";
  const limit = Math.min(page.limit ?? DEFAULT_LIMIT, MAX_LIMIT);
  const terms = parseFilter(page.filter ?? "", options.fields);
  const keys: SortKey[] = [...parseSort(page.sort, options.fields), { field: idColumn, descending: false }];
  const columns = keys.map((k) => (k.field === idColumn ? idColumn : columnOf(options.fields, k.field)));
  const digest = [
    options.collection,
    JSON.stringify(terms),
    keys.map((k) => `${k.descending ? "-" : ""}${k.field}`).join(","),
    String(page.show_deleted === true),
  ];
  // biome-ignore lint/suspicious/noExplicitAny: dynamic columns, checked against the field specs above
  let q = query as SelectQueryBuilder<any, any, O>;
  if (options.deletedColumn && page.show_deleted !== true)
    q = q.where(ref(options.deletedColumn), "is", null);
  for (const term of terms) {
    const column = columnOf(options.fields, term.field);
    const value = typeof term.value === "boolean" ? Number(term.value) : term.value;
    q = q.where(sql<SqlBool>`${ref(column)} ${sql.raw(SQL_OPS[term.op])} ${value}`);
  }
  const queryDigest = CursorCodec.queryDigest(digest);
  if (page.cursor) {
    const after = options.codec.decode(page.cursor, queryDigest);
    // Same digest means same sort keys, so only a forged body can have the wrong shape.
    if (after.length !== columns.length) invalidCursor("it cannot be decoded");
    q = q.where(afterCondition(columns, keys, after));
  }
  for (const [i, key] of keys.entries()) {
    q = q.orderBy(ref(columns[i] as string), key.descending ? "desc" : "asc");
  }
  const rows = await q.limit(limit + 1).execute();
  if (rows.length <= limit) return { items: rows };
  const items = rows.slice(0, limit);
  const last = items[items.length - 1] as Record<string, unknown>;
  const values = columns.map((c) => last[c] as CursorValue);
  return { items, next_cursor: options.codec.encode(values, queryDigest) };
}

/** (c1 > v1) OR (c1 = v1 AND c2 > v2) OR … with each comparison's direction from its sort key. */
function afterCondition(
  columns: readonly string[],
  keys: readonly SortKey[],
  values: readonly CursorValue[],
): Expression<SqlBool> {
  const branches = columns.map((column, i) => {
    const equal = columns.slice(0, i).map((c, j) => sql`${ref(c)} = ${values[j]}`);
    const cmp = sql`${ref(column)} ${sql.raw(keys[i]?.descending ? "<" : ">")} ${values[i]}`;
    return sql`(${sql.join([...equal, cmp], sql` AND `)})`;
  });
  return sql<SqlBool>`(${sql.join(branches, sql` OR `)})`;
}
