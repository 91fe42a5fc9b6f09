import type { CachedTable, ChangeFeed } from "./model.ts";

/**
 * Values built from rows of one table, kept until a change to the row arrives through the feed.
 * Served only while the feed is live (`check()`); cleared on every reset.
 *
 * A value read from the store before a change arrived, but stored after, would be stale for good:
 * so `set` takes the generation `begin()` returned before the read, and drops the value if any
 * change or reset of this table arrived in between.
 *
 * @example
 * const cache = new RowCache<Service>(feed, "services", (s) => s.id);
 * const hit = cache.get(id);
 * if (hit) return hit;
 * const generation = cache.begin();
 * const service = await read(id);
 * cache.set(id, service, generation);
 */
export class RowCache<V> {
  readonly #feed: ChangeFeed;
  readonly #idOf: (value: V) => string;
  readonly #limit: number;
  readonly #entries = new Map<string, V>();
  readonly #unsubscribe: () => void;
  #generation = 0;

  constructor(feed: ChangeFeed, table: CachedTable, idOf: (value: V) => string, limit = 5000) {
    this.#feed = feed;
    this.#idOf = idOf;
    this.#limit = limit;
    this.#unsubscribe = feed.subscribe({
      change: (change) => {
        if (change.kind === "row" && change.table === table) this.invalidate(change.id);
      },
      reset: () => {
        this.#generation++;
        this.#entries.clear();
      },
    });
  }

  /** The value under `key`, when cached and the feed is live. */
  get(key: string): V | undefined {
    if (this.#entries.size === 0 || !this.#feed.check()) return undefined;
    return this.#entries.get(key);
  }

  /** Call before reading the store; pass the result to `set`. */
  begin(): number {
    // Looked at before the read, so a change committed between the read and `set` is noticed.
    this.#feed.check();
    return this.#generation;
  }

  set(key: string, value: V, generation: number): void {
    if (generation !== this.#generation || !this.#feed.check()) return;
    if (this.#entries.size >= this.#limit) this.#entries.delete(this.#entries.keys().next().value as string);
    this.#entries.set(key, value);
  }

  /** Forget every value built from the row `id` (what a change notification does). */
  invalidate(id: string): void {
    this.#generation++;
    for (const [key, value] of this.#entries) if (this.#idOf(value) === id) this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }

  close(): void {
    this.#unsubscribe();
    this.#entries.clear();
  }
}
