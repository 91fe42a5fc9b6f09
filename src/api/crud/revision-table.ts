import type { Kysely } from "kysely";
import { isUniqueViolation } from "../../store/index.ts";
import type { CoreContext } from "../context.ts";
import type { FieldSpecs, Page, PageQuery } from "../paging/index.ts";
import { paginate } from "../paging/index.ts";
import type { Entity } from "../resource.ts";
import { checkIfMatch, type IfMatchPolicy } from "./preconditions.ts";
import type { WriteOptions } from "./service.ts";
import { type RevisionedRow, restored, revised, softDeleted } from "./soft-delete.ts";
import { writeAtRevision } from "./write-at-revision.ts";

export type TableCore = Pick<CoreContext, "store" | "clock" | "cursors">;

export interface RevisionTableOptions<R extends RevisionedRow, E extends Entity> {
  readonly table: string;
  /** What a client may filter and sort the list on. */
  readonly fields: FieldSpecs;
  /** Row → the representation clients see, with its ETag. */
  readonly toEntity: (row: R) => E;
  /** The unit's own errors: no row with this id (404), and a write lost to another (412). */
  readonly notFound: (id: string) => Error;
  readonly changed: (id: string) => Error;
  /** The error a unique violation means (a name taken), when the table has a unique index. */
  readonly onUnique?: (row: R) => Error;
  /** `required`: writes without `If-Match` are refused with 428 (default `optional`). */
  readonly ifMatch?: IfMatchPolicy;
}

/**
 * A table of revisioned, soft-deletable rows as a resource: keyset lists with filter and sort,
 * writes guarded by `If-Match` and by the revision, soft delete and undelete. A unit's service
 * wraps one and adds its own rules (unique names, derived fields).
 */
export class RevisionTable<R extends RevisionedRow, E extends Entity> {
  readonly #core: TableCore;
  readonly #o: RevisionTableOptions<R, E>;

  constructor(core: TableCore, options: RevisionTableOptions<R, E>) {
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

  /** Every live row, by id (small tables: members, a session's items). */
  async all(where?: { column: string; value: string }): Promise<E[]> {
    let q = this.#db.selectFrom(this.#o.table).selectAll().where("deleted_at", "is", null);
    if (where) q = q.where(where.column, "=", where.value);
    const rows = (await q.orderBy("id").execute()) as R[];
    return rows.map((r) => this.#o.toEntity(r));
  }

  /** The row, soft-deleted or not; the unit's not-found error when no row has this id. */
  async row(id: string): Promise<R> {
    const row = (await this.#db
      .selectFrom(this.#o.table)
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirst()) as R | undefined;
    if (!row) throw this.#o.notFound(id);
    return row;
  }

  async get(id: string): Promise<E> {
    return this.#o.toEntity(await this.row(id));
  }

  /** Apply `change` to the current row under If-Match; returns the new representation. */
  async update(id: string, change: (row: R) => Partial<R>, options: WriteOptions = {}): Promise<E> {
    const row = await this.#current(id, options);
    const next = revised(row, change(row), this.now());
    if (options.validateOnly) return this.#o.toEntity(next);
    await this.#write(row, next);
    return this.get(id);
  }

  /** Soft delete: the row stays readable with `deleted_at`; deleting it again changes nothing. */
  async remove(id: string, options: WriteOptions = {}): Promise<void> {
    const row = await this.#current(id, options);
    if (options.validateOnly || row.deleted_at !== null) return;
    await this.#write(row, softDeleted(row, this.now()));
  }

  async undelete(id: string, options: WriteOptions = {}): Promise<E> {
    const row = await this.#current(id, options);
    if (row.deleted_at === null) return this.#o.toEntity(row);
    const next = restored(row, this.now());
    if (options.validateOnly) return this.#o.toEntity(next);
    await this.#write(row, next);
    return this.get(id);
  }

  async #current(id: string, options: WriteOptions): Promise<R> {
    const row = await this.row(id);
    checkIfMatch(options.ifMatch, this.#o.toEntity(row).etag, this.#o.ifMatch ?? "optional");
    return row;
  }

  async #write(before: R, after: R): Promise<void> {
    const { id, ...values } = after;
    const onUnique = this.#o.onUnique;
    await writeAtRevision(this.#db, {
      table: this.#o.table,
      id,
      expected: before.revision,
      values,
      changed: () => this.#o.changed(id),
      onUnique: onUnique && (() => onUnique(after)),
    });
  }
}
