import type { Kysely } from "kysely";
import { isUniqueViolation } from "../../store/index.ts";

export interface RevisionWrite {
  readonly table: string;
  readonly id: string;
  /** The revision the caller read; the write happens only if the row still has it. */
  readonly expected: number;
  /** Columns to set (the new `revision` among them); never `id`. */
  readonly values: Readonly<Record<string, unknown>>;
  /** The error someone else's write in between means (→ 412 through its kind `changed`). */
  readonly changed: () => Error;
  /** The error a unique violation means (a name taken), where the table has a unique index. */
  readonly onUnique?: (() => Error) | undefined;
}

/**
 * Optimistic write: `UPDATE … WHERE id = ? AND revision = ?`. If-Match compares the ETag the
 * client read with the current one; this catches the writer that got in between our read and
 * our write, on this node or another, in both dialects.
 */
export async function writeAtRevision(
  // biome-ignore lint/suspicious/noExplicitAny: the table is named at run time; callers type their rows
  db: Kysely<any>,
  w: RevisionWrite,
): Promise<void> {
  let updated: bigint;
  try {
    const result = await db
      .updateTable(w.table)
      .set(w.values)
      .where("id", "=", w.id)
      .where("revision", "=", w.expected)
      .executeTakeFirst();
    updated = result.numUpdatedRows;
  } catch (error) {
    if (isUniqueViolation(error) && w.onUnique) throw w.onUnique();
    throw error;
  }
  if (updated === 0n) throw w.changed();
}
