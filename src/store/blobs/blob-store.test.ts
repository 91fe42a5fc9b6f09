import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll } from "vitest";
import { freshPostgresUrl } from "../../../test/support/fresh-postgres.ts";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { openStore, type Store } from "../open.ts";
import { type BlobStoreUnderTest, describeBlobStoreContract } from "./blob-store.contract.ts";
import { DatabaseBlobStore } from "./database-blob-store.ts";
import { FileBlobStore } from "./file-blob-store.ts";

afterAll(removeTempDirs);

describeBlobStoreContract("FileBlobStore", async () => {
  const root = join(await tempDir(), "blobs");
  return {
    blobs: new FileBlobStore(root),
    // Every file counts, so a leftover temp file from an interrupted write shows up too.
    stored: async () => {
      const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
      return entries.filter((e) => e.isFile()).length;
    },
    close: async () => {},
  };
});

describeBlobStoreContract("DatabaseBlobStore on SQLite", async () =>
  inDatabase(await openStore({ home: await tempDir() })),
);

describeBlobStoreContract("DatabaseBlobStore on PostgreSQL", async () =>
  inDatabase(await openStore({ databaseUrl: await freshPostgresUrl() })),
);

function inDatabase(store: Store): BlobStoreUnderTest {
  return {
    blobs: new DatabaseBlobStore(store.db),
    stored: async () => {
      const { n } = await store.db
        .selectFrom("blobs")
        .select(store.db.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      return n;
    },
    close: () => store.close(),
  };
}
