import type pg from "pg";
import { Listeners } from "./listeners.ts";
import {
  type ChangeFeed,
  type ChangeListener,
  EVENTS_CHANNEL,
  INVALIDATE_CHANNEL,
  parseEventChange,
  parseRowChange,
} from "./model.ts";

/** What the listening connection calls itself in pg_stat_activity. */
export const LISTEN_APPLICATION_NAME = "opsdojo-listen";

export interface PostgresFeedOptions {
  /** Wait before connecting again after the listening connection was lost (default 1 s). */
  readonly retryMs?: number;
  /**
   * How often the listening connection is asked a `SELECT 1`; no answer within the same time
   * counts as lost (default 5 s). A connection that dies silently (a partition, no FIN) would
   * otherwise keep a node serving its cache without hearing of changes.
   */
  readonly heartbeatMs?: number;
}

/**
 * Row changes and new events on PostgreSQL: one connection per node, outside the pool, that
 * LISTENs on both channels. Triggers (migration 010) NOTIFY in the writing transaction, so a
 * notification leaves at commit and only for a committed change, whoever wrote it.
 *
 * Caches may be served only while that connection is up (`check()`). When it drops, every cache
 * is reset and bypassed (each read goes to the store) until a new connection LISTENs again; the
 * reset at reconnection also makes open streams read what they missed. The connection is opened
 * on first use, so a CLI command that never caches never opens it.
 */
export class PostgresChangeFeed implements ChangeFeed {
  readonly #pg: typeof pg;
  readonly #url: string;
  readonly #retryMs: number;
  readonly #heartbeatMs: number;
  #heartbeat: NodeJS.Timeout | undefined;
  readonly #listeners = new Listeners();
  #client: pg.Client | undefined;
  #listening = false;
  #started = false;
  #closed = false;
  #retry: NodeJS.Timeout | undefined;

  constructor(pgModule: typeof pg, url: string, options: PostgresFeedOptions = {}) {
    this.#pg = pgModule;
    this.#url = url;
    this.#retryMs = options.retryMs ?? 1000;
    this.#heartbeatMs = options.heartbeatMs ?? 5000;
  }

  check(): boolean {
    this.#start();
    return this.#listening;
  }

  subscribe(listener: ChangeListener): () => void {
    this.#start();
    return this.#listeners.add(listener);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#listening = false;
    if (this.#retry) clearTimeout(this.#retry);
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => {});
  }

  #start(): void {
    if (this.#started || this.#closed) return;
    this.#started = true;
    void this.#connect();
  }

  async #connect(): Promise<void> {
    this.#retry = undefined;
    if (this.#closed) return;
    const client = new this.#pg.Client({
      connectionString: this.#url,
      application_name: LISTEN_APPLICATION_NAME,
    });
    this.#client = client;
    client.on("notification", (message) => {
      const payload = message.payload ?? "";
      const change =
        message.channel === INVALIDATE_CHANNEL
          ? parseRowChange(payload)
          : message.channel === EVENTS_CHANNEL
            ? parseEventChange(payload)
            : undefined;
      if (change) this.#listeners.change(change);
    });
    client.on("error", () => this.#lost(client));
    client.on("end", () => this.#lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${INVALIDATE_CHANNEL}; LISTEN ${EVENTS_CHANNEL}`);
    } catch {
      this.#lost(client);
      return;
    }
    if (this.#client !== client || this.#closed) return;
    // Whatever changed while nobody listened is unknown: start from empty caches, and let open
    // streams read what they missed.
    this.#listeners.reset();
    this.#listening = true;
    this.#heartbeat = setInterval(() => this.#beat(client), this.#heartbeatMs);
    this.#heartbeat.unref();
  }

  #beat(client: pg.Client): void {
    let answered = false;
    const timeout = setTimeout(() => {
      if (!answered) this.#lost(client);
    }, this.#heartbeatMs);
    timeout.unref();
    client.query("SELECT 1").then(
      () => {
        answered = true;
        clearTimeout(timeout);
      },
      () => {
        clearTimeout(timeout);
        this.#lost(client);
      },
    );
  }

  #lost(client: pg.Client): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    this.#listening = false;
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
    this.#listeners.reset();
    client.removeAllListeners("notification");
    // Keep an error listener: a late socket error on the dead client must not crash the process.
    client.on("error", () => {});
    void client.end().catch(() => {});
    if (this.#closed) return;
    this.#retry = setTimeout(() => void this.#connect(), this.#retryMs);
    this.#retry.unref();
  }
}
