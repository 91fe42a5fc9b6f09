import type { Page, PageQuery } from "../paging/index.ts";
import type { Entity } from "../resource.ts";

export interface WriteOptions {
  /** The `If-Match` header, when the caller sent one. */
  readonly ifMatch?: string | undefined;
  /** Check everything, change nothing. */
  readonly validateOnly?: boolean | undefined;
}

/** What a soft-deletable collection offers its routes (and the CLI's local backend). */
export interface CrudService<E extends Entity, C, U> {
  create(input: C, options?: WriteOptions): Promise<E>;
  list(query: PageQuery): Promise<Page<E>>;
  get(id: string): Promise<E>;
  update(id: string, patch: U, options?: WriteOptions): Promise<E>;
  remove(id: string, options?: WriteOptions): Promise<void>;
  undelete(id: string, options?: WriteOptions): Promise<E>;
}
