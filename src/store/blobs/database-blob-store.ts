import type { Kysely } from "kysely";
import type { Database } from "../schema.ts";
import { assertBlobHash, type BlobStore, blobHash } from "./blob-store.ts";

/** Blobs in the `blobs` table: with PostgreSQL every node sees the same blobs. */
export class DatabaseBlobStore implements BlobStore {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async put(data: Uint8Array): Promise<string> {
    const hash = blobHash(data);
    await this.#db
      .insertInto("blobs")
      .values({ hash, size: data.byteLength, data: Buffer.from(data), created_at: new Date().toISOString() })
      .onConflict((oc) => oc.column("hash").doNothing())
      .execute();
    return hash;
  }

  async get(hash: string): Promise<Uint8Array | undefined> {
    assertBlobHash(hash);
    const row = await this.#db.selectFrom("blobs").select("data").where("hash", "=", hash).executeTakeFirst();
    return row ? new Uint8Array(row.data) : undefined;
  }

  async has(hash: string): Promise<boolean> {
    assertBlobHash(hash);
    const row = await this.#db.selectFrom("blobs").select("hash").where("hash", "=", hash).executeTakeFirst();
    return row !== undefined;
  }

  async delete(hash: string): Promise<void> {
    assertBlobHash(hash);
    await this.#db.deleteFrom("blobs").where("hash", "=", hash).execute();
  }
}
