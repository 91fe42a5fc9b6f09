export {
  CACHED_TABLES,
  type CachedTable,
  type Change,
  type ChangeFeed,
  type ChangeListener,
  EVENTS_CHANNEL,
  INVALIDATE_CHANNEL,
  parseEventChange,
  parseRowChange,
} from "./model.ts";
export { LISTEN_APPLICATION_NAME, PostgresChangeFeed, type PostgresFeedOptions } from "./postgres-feed.ts";
export { RowCache } from "./row-cache.ts";
export { SqliteChangeFeed } from "./sqlite-feed.ts";
