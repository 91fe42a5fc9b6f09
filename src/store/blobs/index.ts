export { assertBlobHash, type BlobStore, blobHash } from "./blob-store.ts";
export { DatabaseBlobStore } from "./database-blob-store.ts";
export { FileBlobStore } from "./file-blob-store.ts";
