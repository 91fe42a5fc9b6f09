export { type BlobStore, blobHash, DatabaseBlobStore, FileBlobStore } from "./blobs/index.ts";
export {
  type Change,
  type ChangeFeed,
  type ChangeListener,
  LISTEN_APPLICATION_NAME,
  RowCache,
} from "./changes/index.ts";
export type { DialectName } from "./dialect.ts";
export { isStoreUnavailable, isUniqueViolation, StoreConflictError, StoreError } from "./errors.ts";
export { maskUrl, migrateToLatest, type OpenStoreOptions, openStore, type Store } from "./open.ts";
export { preparedFirst, preparedQuery } from "./prepared.ts";
export type { Database, OperationsTable, RunsTable, ServicesTable, TokensTable } from "./schema.ts";
export { settingOrCreate } from "./settings.ts";
