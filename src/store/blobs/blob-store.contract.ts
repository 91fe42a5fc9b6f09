import { createHash, randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { BlobStore } from "./blob-store.ts";

/** A blob store under test, with a way to look behind it. */
export interface BlobStoreUnderTest {
  readonly blobs: BlobStore;
  /** How many blobs are physically stored (files, rows). */
  stored(): Promise<number>;
  close(): Promise<void>;
}

const HELLO = new TextEncoder().encode("hello");
const HELLO_SHA256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const ABSENT = "0".repeat(64);

/**
 * The blob-store contract every `BlobStore` runs: content addressing, storing identical bytes
 * once, empty and large blobs, and rejecting anything that is not a hash before it reaches a
 * path or a query.
 *
 * @example
 * describeBlobStoreContract("FileBlobStore", async () => {
 *   const root = await tempDir();
 *   return { blobs: new FileBlobStore(root), stored: () => countFiles(root), close: async () => {} };
 * });
 */
export function describeBlobStoreContract(name: string, open: () => Promise<BlobStoreUnderTest>): void {
  describe(`blob store contract: ${name}`, () => {
    let subject: BlobStoreUnderTest;
    let blobs: BlobStore;

    beforeEach(async () => {
      subject = await open();
      blobs = subject.blobs;
    });

    afterEach(async () => {
      await subject.close();
    });

    it("names a blob by the SHA-256 of its bytes and gives the bytes back", async () => {
      expect(await blobs.put(HELLO)).toBe(HELLO_SHA256);
      expect(await blobs.has(HELLO_SHA256)).toBe(true);
      const got = await blobs.get(HELLO_SHA256);
      expect(got).toBeInstanceOf(Uint8Array);
      expect(got).toEqual(HELLO);
    });

    it("knows no blob it was not given", async () => {
      await blobs.put(HELLO);
      expect(await blobs.has(ABSENT)).toBe(false);
      expect(await blobs.get(ABSENT)).toBeUndefined();
    });

    it("stores identical bytes once, even when they arrive at the same time", async () => {
      const hashes = await Promise.all(Array.from({ length: 10 }, () => blobs.put(Uint8Array.from(HELLO))));
      expect(new Set(hashes)).toEqual(new Set([HELLO_SHA256]));
      expect(await blobs.put(HELLO)).toBe(HELLO_SHA256);
      expect(await subject.stored()).toBe(1);
      expect(await blobs.get(HELLO_SHA256)).toEqual(HELLO);

      await blobs.put(new TextEncoder().encode("world"));
      expect(await subject.stored()).toBe(2);
    });

    it("deletes one blob, leaves the others, and tolerates deleting twice", async () => {
      const other = await blobs.put(new TextEncoder().encode("other"));
      await blobs.put(HELLO);
      await blobs.delete(HELLO_SHA256);
      await blobs.delete(HELLO_SHA256);
      expect(await blobs.has(HELLO_SHA256)).toBe(false);
      expect(await blobs.get(HELLO_SHA256)).toBeUndefined();
      expect(await blobs.has(other)).toBe(true);
      expect(await subject.stored()).toBe(1);

      expect(await blobs.put(HELLO)).toBe(HELLO_SHA256);
      expect(await blobs.get(HELLO_SHA256)).toEqual(HELLO);
    });

    it("stores an empty blob as a blob, not as nothing", async () => {
      expect(await blobs.put(new Uint8Array(0))).toBe(EMPTY_SHA256);
      expect(await blobs.has(EMPTY_SHA256)).toBe(true);
      expect(await blobs.get(EMPTY_SHA256)).toEqual(new Uint8Array(0));
      expect(await subject.stored()).toBe(1);
    });

    it("stores a 5 MiB blob byte for byte", async () => {
      const data = randomBytes(5 * 1024 * 1024);
      const hash = await blobs.put(data);
      expect(hash).toBe(createHash("sha256").update(data).digest("hex"));
      const got = await blobs.get(hash);
      expect(got?.byteLength).toBe(data.byteLength);
      // Buffer.equals rather than toEqual: a 5 MiB element-by-element diff is slow and unreadable.
      expect(got && Buffer.from(got.buffer, got.byteOffset, got.byteLength).equals(data)).toBe(true);
    });

    it("stores only the bytes of a view, not the buffer behind it", async () => {
      const backing = new TextEncoder().encode("__hello__");
      const view = backing.subarray(2, 7);
      expect(await blobs.put(view)).toBe(HELLO_SHA256);
      expect(await blobs.get(HELLO_SHA256)).toEqual(HELLO);
    });

    it("hands out copies: changing returned bytes changes nothing stored", async () => {
      await blobs.put(HELLO);
      const first = await blobs.get(HELLO_SHA256);
      first?.fill(0);
      expect(await blobs.get(HELLO_SHA256)).toEqual(HELLO);
    });

    it("rejects anything that is not a lower-case hex SHA-256", async () => {
      await blobs.put(HELLO);
      const invalid = [
        "",
        "abc",
        HELLO_SHA256.toUpperCase(),
        HELLO_SHA256.slice(1),
        `${HELLO_SHA256}0`,
        `${HELLO_SHA256}\n`,
        "g".repeat(64),
        `../${HELLO_SHA256.slice(3)}`,
        `${HELLO_SHA256.slice(0, 2)}/${HELLO_SHA256.slice(3)}`,
        `' or '1'='1${"0".repeat(53)}`,
      ];
      for (const hash of invalid) {
        await expect(blobs.get(hash), hash).rejects.toThrow(TypeError);
        await expect(blobs.has(hash), hash).rejects.toThrow(TypeError);
        await expect(blobs.delete(hash), hash).rejects.toThrow(TypeError);
      }
      expect(await blobs.get(HELLO_SHA256)).toEqual(HELLO);
    });
  });
}
