export { checkIfMatch, type IfMatchPolicy } from "./preconditions.ts";
export { RevisionTable, type RevisionTableOptions, type TableCore } from "./revision-table.ts";
export { type CrudResource, type CrudTexts, registerCrudRoutes } from "./routes.ts";
export type { CrudService, WriteOptions } from "./service.ts";
export { type RevisionedRow, restored, revised, softDeleted } from "./soft-delete.ts";
export { type RevisionWrite, writeAtRevision } from "./write-at-revision.ts";
