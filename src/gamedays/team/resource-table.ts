import type { Kysely } from "kysely";
import {
  assertIfMatch,
  type CoreContext,
  type Entity,
  type FieldSpecs,
  type Page,
  type PageQuery,
  paginate,
} from "../../api/index.ts";
import { isUniqueViolation } from "../../store/index.ts";
import { TeamResourceChangedError, TeamResourceNotFoundError } from "./errors.ts";

export type Core = Pick<CoreContext, "store" | "clock" | "cursors">;

export interface WriteOptions {
  readonly ifMatch?: string | undefined;
  readonly validateOnly?: boolean | undefined;
}

/** The columns every soft-deletable row of these tables has. */
export interface SoftRow {
  id: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  revision: number;
}

export interface ResourceTableOptions<R extends SoftRow, E extends Entity> {
  readonly table: string;
  /** For messages: "member", "action item". */
  readonly what: string;
  readonly fields: FieldSpecs;
  readonly toEntity: (row: R) => E;
  /** The error a unique violation means (a name taken), when the table has a unique index. */
  readonly onUnique?: (row: R) => Error;
}

/**
 * The shared mechanics of the people and follow-up resources: keyset lists with filter and sort,
 * optimistic writes guarded by a revision and `If-Match`, soft delete and undelete.
 */
export class ResourceTable<R extends SoftRow, E extends Entity> {
  readonly #core: Core;
  readonly #o: ResourceTableOptions<R, E>;

  constructor(core: Core, options: ResourceTableOptions<R, E>) {
    this.#core = core;
    this.#o = options;
  }

  // biome-ignore lint/suspicious/noExplicitAny: the table is chosen at construction; rows are typed by R
  get #db(): Kysely<any> {
    // biome-ignore lint/suspicious/noExplicitAny: see above
    return this.#core.store.db as Kysely<any>;
  }

  now(): string {
    return this.#core.clock.now().toISOString();
  }

  async insert(row: R, options: WriteOptions = {}): Promise<E> {
    if (options.validateOnly) return this.#o.toEntity(row);
    try {
      await this.#db.insertInto(this.#o.table).values(row).execute();
    } catch (error) {
      if (isUniqueViolation(error) && this.#o.onUnique) throw this.#o.onUnique(row);
      throw error;
    }
    return this.#o.toEntity(row);
  }

  async list(query: PageQuery): Promise<Page<E>> {
    const page = await paginate(this.#db.selectFrom(this.#o.table).selectAll(), query, {
      collection: this.#o.table,
      fields: this.#o.fields,
      codec: this.#core.cursors,
      deletedColumn: "deleted_at",
    });
    const items = page.items.map((r) => this.#o.toEntity(r as R));
    return page.next_cursor ? { items, next_cursor: page.next_cursor } : { items };
  }

  /** Every live row (small tables: members, a session's items). */
  async all(where?: { column: string; value: string }): Promise<E[]> {
    let q = this.#db.selectFrom(this.#o.table).selectAll().where("deleted_at", "is", null);
    if (where) q = q.where(where.column, "=", where.value);
    const rows = (await q.orderBy("id").execute()) as R[];
    return rows.map((r) => this.#o.toEntity(r));
  }

  async row(id: string): Promise<R> {
    const row = (await this.#db
      .selectFrom(this.#o.table)
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirst()) as R | undefined;
    if (!row) throw new TeamResourceNotFoundError(this.#o.what, id);
    return row;
  }

  async get(id: string): Promise<E> {
    return this.#o.toEntity(await this.row(id));
  }

  /** Apply `change` to the current row under If-Match; returns the new representation. */
  async update(id: string, change: (row: R) => Partial<R>, options: WriteOptions = {}): Promise<E> {
    const row = await this.row(id);
    assertIfMatch(options.ifMatch, this.#o.toEntity(row).etag);
    const next = { ...row, ...change(row), updated_at: this.now(), revision: row.revision + 1 } as R;
    if (options.validateOnly) return this.#o.toEntity(next);
    await this.#write(row, next);
    return this.get(id);
  }

  /** Soft delete: the row stays readable with `deleted_at`. */
  async remove(id: string, options: WriteOptions = {}): Promise<void> {
    const row = await this.row(id);
    assertIfMatch(options.ifMatch, this.#o.toEntity(row).etag);
    if (options.validateOnly || row.deleted_at !== null) return;
    const now = this.now();
    await this.#write(row, { ...row, deleted_at: now, updated_at: now, revision: row.revision + 1 });
  }

  async undelete(id: string, options: WriteOptions = {}): Promise<E> {
    const row = await this.row(id);
    assertIfMatch(options.ifMatch, this.#o.toEntity(row).etag);
    if (row.deleted_at === null) return this.#o.toEntity(row);
    const now = this.now();
    const next = { ...row, deleted_at: null, updated_at: now, revision: row.revision + 1 };
    if (options.validateOnly) return this.#o.toEntity(next);
    await this.#write(row, next);
    return this.get(id);
  }

  async #write(before: R, after: R): Promise<void> {
    const { id, ...values } = after;
    let updated: bigint;
    try {
      const result = await this.#db
        .updateTable(this.#o.table)
        .set(values)
        .where("id", "=", id)
        .where("revision", "=", before.revision)
        .executeTakeFirst();
      updated = result.numUpdatedRows;
    } catch (error) {
      if (isUniqueViolation(error) && this.#o.onUnique) throw this.#o.onUnique(after);
      throw error;
    }
    if (updated === 0n) throw new TeamResourceChangedError(id);
  }
}
