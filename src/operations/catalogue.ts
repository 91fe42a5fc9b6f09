import type { Clock } from "../core/index.ts";
import { newId } from "../core/index.ts";
import type { Store } from "../store/index.ts";
import { parseOperationCached, sourceDigest } from "./loader/index.ts";
import type { Operation } from "./model/index.ts";

export interface RegisteredOperation {
  readonly id: string;
  readonly name: string;
  readonly version: number;
  readonly operation: Operation;
}

/**
 * Register an operation file's text: the same text again is the same version; changed text of
 * a known name is the next version. Runs point at the exact version they ran.
 */
export async function registerOperation(
  store: Store,
  clock: Clock,
  source: string,
  file: string,
): Promise<RegisteredOperation> {
  const digest = sourceDigest(source);
  const operation = parseOperationCached(source, file, digest);
  const existing = await store.db
    .selectFrom("operations")
    .select(["id", "version", "digest"])
    .where("name", "=", operation.name)
    .orderBy("version", "desc")
    .executeTakeFirst();
  if (existing && existing.digest === digest)
    return { id: existing.id, name: operation.name, version: existing.version, operation };
  const version = (existing?.version ?? 0) + 1;
  const id = newId("op", clock.now());
  await store.db
    .insertInto("operations")
    .values({ id, name: operation.name, version, source, digest, created_at: clock.now().toISOString() })
    .execute();
  return { id, name: operation.name, version, operation };
}
