/**
 * What one node tells the others through the database: a cached row changed, or a stream got a
 * new event. PostgreSQL carries them as NOTIFY payloads (written by triggers, migration 010, so
 * every writer sends them, the CLI and hand-written SQL included); SQLite in process.
 */

/** The PostgreSQL channel of row changes: payload `<table>:<id>`. */
export const INVALIDATE_CHANNEL = "opsdojo_invalidate";
/** The PostgreSQL channel of new stream events: payload `<stream>:<seq>`, e.g. `run:run_…:12`. */
export const EVENTS_CHANNEL = "opsdojo_events";

/** The tables whose rows nodes cache; a change to a row invalidates it everywhere. */
export const CACHED_TABLES = ["tokens", "services"] as const;
export type CachedTable = (typeof CACHED_TABLES)[number];

export type Change =
  | { readonly kind: "row"; readonly table: CachedTable; readonly id: string }
  /**
   * `stream` is `run:<run id>` or `session:<session id>`; `seq` the new event's number, or 0
   * when the stream's state changed without one (a session's status).
   */
  | { readonly kind: "event"; readonly stream: string; readonly seq: number };

export interface ChangeListener {
  change?(change: Change): void;
  /**
   * Something may have been missed (the listening connection dropped, or another process wrote
   * to the SQLite file): forget everything cached, look again at every open stream.
   */
  reset?(): void;
}

/**
 * A node's view of what other writers change. One per store; the PostgreSQL one holds a single
 * listening connection, opened on first use.
 */
export interface ChangeFeed {
  /**
   * Whether a cached answer may be served now: true while every change since the cache was
   * filled is known to have arrived. On PostgreSQL, while the listening connection is up; on
   * SQLite always, after a reset if another connection has written to the file since it last
   * looked (once per turn of the event loop).
   */
  check(): boolean;
  subscribe(listener: ChangeListener): () => void;
  close(): Promise<void>;
}

/** `tokens:tok_…` → a row change; undefined for anything else (an older or newer node's payload). */
export function parseRowChange(payload: string): Change | undefined {
  const at = payload.indexOf(":");
  if (at <= 0) return undefined;
  const table = payload.slice(0, at);
  const id = payload.slice(at + 1);
  if (!(CACHED_TABLES as readonly string[]).includes(table) || id.length === 0) return undefined;
  return { kind: "row", table: table as CachedTable, id };
}

/** `run:run_…:12` → an event change; undefined when it does not end in `:<seq>`. */
export function parseEventChange(payload: string): Change | undefined {
  const at = payload.lastIndexOf(":");
  if (at <= 0) return undefined;
  const seq = Number(payload.slice(at + 1));
  if (!Number.isSafeInteger(seq) || seq < 0) return undefined;
  return { kind: "event", stream: payload.slice(0, at), seq };
}
