import type SqliteDatabase from "better-sqlite3";
import { Listeners } from "./listeners.ts";
import { CACHED_TABLES, type ChangeFeed, type ChangeListener, parseRowChange } from "./model.ts";

const FUNCTION = "opsdojo_changed";
const EVENT_FUNCTION = "opsdojo_event";
/** The event tables and the stream name of a new row, as the PostgreSQL triggers send them. */
const EVENT_TABLES = [
  {
    name: "run_events_added",
    on: "INSERT ON main.run_events",
    stream: "'run:' || NEW.run_id",
    seq: "NEW.seq",
  },
  {
    name: "gameday_timeline_added",
    on: "INSERT ON main.gameday_timeline",
    stream: "'session:' || NEW.session_id",
    seq: "NEW.seq",
  },
  // A session's status may change after its last entry: seq 0, "look whether it is over".
  {
    name: "gameday_sessions_status",
    on: "UPDATE OF status ON main.gameday_sessions",
    stream: "'session:' || NEW.id",
    seq: "0",
  },
] as const;

/**
 * Row changes on SQLite. Writes on this connection (every write of this process's store) are
 * reported by TEMP triggers calling a function of this connection: synchronously, inside the
 * statement, so a cache is invalidated before the write returns. Writes by any other connection
 * (the CLI in another process, another store on the same file) are noticed by `PRAGMA
 * data_version`, which moves when another connection commits: `check()` reads it, once per turn
 * of the event loop, and resets every cache when it moved. So a commit by the CLI is seen from
 * the next turn on: by every request that reaches this node after it.
 *
 * New events (run_events, gameday_timeline) are told the same way, so a stream wakes whoever
 * appended on this connection, through the units' own buses or not.
 *
 * Cached rows: only UPDATE and DELETE: nodes cache rows that exist, never their absence. Tokens only when a
 * column that decides access changes, so `last_used_at` (written once a minute per token) does not
 * empty the caches.
 */
export class SqliteChangeFeed implements ChangeFeed {
  readonly #db: SqliteDatabase.Database;
  readonly #listeners = new Listeners();
  readonly #dataVersion: SqliteDatabase.Statement;
  /** The data_version last seen; undefined until first asked (nothing was cached before). */
  #seen: number | undefined;
  #installed = false;
  #checkedThisTurn = false;
  readonly #nextTurn = () => {
    this.#checkedThisTurn = false;
  };

  constructor(db: SqliteDatabase.Database) {
    this.#db = db;
    // Prepared, not run: opening a store must not wait on another process's lock here.
    this.#dataVersion = db.prepare("PRAGMA data_version").pluck();
  }

  check(): boolean {
    // A store closed under a late request or stream: nothing cached may be served.
    if (!this.#db.open) return false;
    // At most once per turn of the event loop: each read of data_version costs ~6 µs (it takes
    // the WAL index's read lock), as much as the point read it saves; asked on every request it
    // was 5 % of bench:api's server CPU. A request read from a socket after the commit is handled
    // in a later turn, so it still sees the commit.
    if (this.#checkedThisTurn) return true;
    this.#checkedThisTurn = true;
    setImmediate(this.#nextTurn);
    const version = this.#dataVersion.get() as number;
    if (version !== this.#seen) {
      if (this.#seen !== undefined) this.#listeners.reset();
      this.#seen = version;
    }
    return true;
  }

  subscribe(listener: ChangeListener): () => void {
    this.#install();
    return this.#listeners.add(listener);
  }

  async close(): Promise<void> {
    if (!this.#installed || !this.#db.open) return;
    this.#installed = false;
    for (const table of CACHED_TABLES) {
      this.#db.exec(`DROP TRIGGER IF EXISTS temp.${table}_changed_u`);
      this.#db.exec(`DROP TRIGGER IF EXISTS temp.${table}_changed_d`);
    }
    for (const { name } of EVENT_TABLES) this.#db.exec(`DROP TRIGGER IF EXISTS temp.${name}`);
  }

  #install(): void {
    if (this.#installed) return;
    this.#installed = true;
    this.#db.function(FUNCTION, { deterministic: false, varargs: false }, (table: unknown, id: unknown) => {
      const change = parseRowChange(`${String(table)}:${String(id)}`);
      if (change) this.#listeners.change(change);
      return null;
    });
    this.#db.function(
      EVENT_FUNCTION,
      { deterministic: false, varargs: false },
      (stream: unknown, seq: unknown) => {
        const n = Number(seq);
        if (typeof stream === "string" && Number.isSafeInteger(n))
          this.#listeners.change({ kind: "event", stream, seq: n });
        return null;
      },
    );
    for (const { name, on, stream, seq } of EVENT_TABLES) {
      this.#db.exec(
        `CREATE TEMP TRIGGER IF NOT EXISTS ${name} AFTER ${on}
         BEGIN SELECT ${EVENT_FUNCTION}(${stream}, ${seq}); END`,
      );
    }
    for (const table of CACHED_TABLES) {
      const columns = table === "tokens" ? " OF revoked_at, expires_at, scopes, name, hash" : "";
      this.#db.exec(
        `CREATE TEMP TRIGGER IF NOT EXISTS ${table}_changed_u AFTER UPDATE${columns} ON main.${table}
         BEGIN SELECT ${FUNCTION}('${table}', NEW.id); END`,
      );
      this.#db.exec(
        `CREATE TEMP TRIGGER IF NOT EXISTS ${table}_changed_d AFTER DELETE ON main.${table}
         BEGIN SELECT ${FUNCTION}('${table}', OLD.id); END`,
      );
    }
  }
}
