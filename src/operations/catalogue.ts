import { createHash } from "node:crypto";
import type { Clock } from "../core/index.ts";
import { newId } from "../core/index.ts";
import type { Store } from "../store/index.ts";
import { parseOperation } from "./loader/index.ts";
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
  const operation = parseOperation(source, file);
  const digest = createHash("sha256").update(source).digest("hex");
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

/** The registered operation a run used, parsed again from its stored text. */
export async function operationOfRun(store: Store, runId: string): Promise<RegisteredOperation | undefined> {
  const row = await store.db
    .selectFrom("runs")
    .innerJoin("operations", "operations.id", "runs.operation_id")
    .select(["operations.id", "operations.name", "operations.version", "operations.source"])
    .where("runs.id", "=", runId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    operation: parseOperation(row.source, `${row.name} v${row.version}`),
  };
}
