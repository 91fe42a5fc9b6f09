import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { assertBlobHash, type BlobStore, blobHash } from "./blob-store.ts";

/**
 * Blobs as files `<root>/<2 hex>/<hash>`, written atomically and durably (flushed temp file, rename,
 * flushed directory), readable by the owner only (directories 0700, files 0600).
 */
export class FileBlobStore implements BlobStore {
  readonly #root: string;
  constructor(root: string) {
    this.#root = root;
  }

  #path(hash: string): string {
    return join(this.#root, hash.slice(0, 2), hash);
  }

  async put(data: Uint8Array): Promise<string> {
    const hash = blobHash(data);
    const path = this.#path(hash);
    if (await this.has(hash)) return hash;
    // Owner only: a blob may be the earlier contents of a private file (a key a run overwrote).
    await mkdir(join(this.#root, hash.slice(0, 2)), { recursive: true, mode: 0o700 });
    const temp = `${path}.${randomBytes(6).toString("hex")}.tmp`;
    await writeFile(temp, data, { flush: true, mode: 0o600 });
    await rename(temp, path);
    // The journal that names this blob is committed after `put` returns: the rename must
    // outlive a power loss too, so the directory entry is flushed as well.
    await syncDirectory(dirname(path));
    return hash;
  }

  async get(hash: string): Promise<Uint8Array | undefined> {
    assertBlobHash(hash);
    try {
      return new Uint8Array(await readFile(this.#path(hash)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  async has(hash: string): Promise<boolean> {
    assertBlobHash(hash);
    try {
      await stat(this.#path(hash));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
      throw error;
    }
  }

  async delete(hash: string): Promise<void> {
    assertBlobHash(hash);
    await rm(this.#path(hash), { force: true });
  }
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
