import { createHash } from "node:crypto";
import type { Operation } from "../model/index.ts";
import { parseOperation } from "./load.ts";

/** SHA-256 of an operation's text: what `operations.digest` stores and what the caches key on. */
export function sourceDigest(source: string): string {
  return createHash("sha256").update(source).digest("hex");
}

/**
 * A bounded map by digest, oldest entry out first. A text's digest names it exactly, so an
 * entry is never stale; the bound only keeps a long-lived server from holding every version.
 */
export class DigestCache<T> {
  readonly #entries = new Map<string, T>();
  readonly #limit: number;

  constructor(limit = 512) {
    this.#limit = limit;
  }

  get(digest: string): T | undefined {
    const value = this.#entries.get(digest);
    if (value !== undefined) {
      // Used again: it moves to the young end.
      this.#entries.delete(digest);
      this.#entries.set(digest, value);
    }
    return value;
  }

  set(digest: string, value: T): void {
    this.#entries.delete(digest);
    this.#entries.set(digest, value);
    if (this.#entries.size > this.#limit) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
  }

  /** The cached value, or `make()`'s, kept. A `make` that throws keeps nothing. */
  getOrMake(digest: string, make: () => T): T {
    let value = this.get(digest);
    if (value === undefined) {
      value = make();
      this.set(digest, value);
    }
    return value;
  }

  get size(): number {
    return this.#entries.size;
  }
}

/**
 * The one parse cache of operation texts in this process, shared by the CLI, the API and the
 * engine: the same text parses to the same value with the built-in actions, so each text is
 * parsed once. Callers must treat the result as read-only (it is shared).
 */
const PARSED = new DigestCache<Operation>();

/**
 * `parseOperation(source, file)`, once per text. `digest` saves hashing when the caller has
 * it (the store keeps it with every registered version). Errors are not cached: a text that
 * fails names `file` in its issues each time.
 *
 * @example const op = parseOperationCached(row.source, `${row.name} v${row.version}`, row.digest);
 */
export function parseOperationCached(source: string, file: string, digest = sourceDigest(source)): Operation {
  return PARSED.getOrMake(digest, () => parseOperation(source, file));
}
