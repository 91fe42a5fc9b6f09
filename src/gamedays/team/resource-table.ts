import {
  type Entity,
  type FieldSpecs,
  type RevisionedRow,
  RevisionTable,
  type TableCore,
  type WriteOptions,
} from "../../api/index.ts";
import { TeamResourceChangedError, TeamResourceNotFoundError } from "./errors.ts";

export type Core = TableCore;
export type { RevisionTable, WriteOptions };

export interface TeamTableOptions<R extends RevisionedRow, E extends Entity> {
  readonly table: string;
  /** For messages: "member", "action item". */
  readonly what: string;
  readonly fields: FieldSpecs;
  readonly toEntity: (row: R) => E;
  /** The error a unique violation means (a name taken), when the table has a unique index. */
  readonly onUnique?: (row: R) => Error;
}

/** A table of the people and follow-up resources: the API's resource kit with this unit's errors. */
export function teamTable<R extends RevisionedRow, E extends Entity>(
  core: Core,
  options: TeamTableOptions<R, E>,
): RevisionTable<R, E> {
  return new RevisionTable<R, E>(core, {
    table: options.table,
    fields: options.fields,
    toEntity: options.toEntity,
    notFound: (id) => new TeamResourceNotFoundError(options.what, id),
    changed: (id) => new TeamResourceChangedError(id),
    ...(options.onUnique ? { onUnique: options.onUnique } : {}),
  });
}
