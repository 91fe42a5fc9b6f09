/** The columns every revisioned, soft-deletable row has. */
export interface RevisionedRow {
  id: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  revision: number;
}

/**
 * The next state of a row after `change`: a new revision and `updated_at`. Every write goes
 * through a new revision, which is what `writeAtRevision` guards and ETags follow.
 */
export function revised<R extends RevisionedRow>(row: R, change: Partial<R>, now: string): R {
  return { ...row, ...change, updated_at: now, revision: row.revision + 1 };
}

/** Soft delete: the row stays, readable with `deleted_at`, hidden from lists unless asked for. */
export function softDeleted<R extends RevisionedRow>(row: R, now: string): R {
  return revised(row, { deleted_at: now } as Partial<R>, now);
}

/** Undelete: the row is live again. */
export function restored<R extends RevisionedRow>(row: R, now: string): R {
  return revised(row, { deleted_at: null } as Partial<R>, now);
}
