import { createHash } from "node:crypto";

/**
 * Content-addressed storage for large payloads (captured file contents, uploaded logs).
 * A blob is named by the SHA-256 of its bytes, so writing the same bytes twice stores them once.
 */
export interface BlobStore {
  /** Store the bytes; returns their hash (hex SHA-256). */
  put(data: Uint8Array): Promise<string>;
  /** The bytes, or `undefined` when no blob has that hash. */
  get(hash: string): Promise<Uint8Array | undefined>;
  has(hash: string): Promise<boolean>;
  /** Remove a blob; removing an absent blob is not an error. */
  delete(hash: string): Promise<void>;
}

export function blobHash(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

const HASH = /^[0-9a-f]{64}$/;

/** Hashes come from callers; reject anything that is not one before it reaches a path or a query. */
export function assertBlobHash(hash: string): void {
  if (!HASH.test(hash)) throw new TypeError(`not a blob hash: ${JSON.stringify(hash).slice(0, 80)}`);
}
