import { ACTIONS } from "../actions/index.ts";
import { Journal, RunNotFoundError } from "../journal/index.ts";
import { purgeKept } from "../reconcile/index.ts";
import { RunRefusedError } from "./errors.ts";
import type { EngineOptions } from "./model.ts";

/**
 * `runs purge-kept`: remove what the run's undos kept aside — versions someone else wrote,
 * found in conflict and kept by policy `restore`. They survive `runs commit` (they are not the
 * run's backups); only this removes them. Idempotent: a second purge finds nothing left.
 */
export async function purgeKeptById(
  runId: string,
  options: EngineOptions,
): Promise<{ id: string; purged: string[] }> {
  const journal = new Journal(options.store, options.clock, options.onEvent);
  const status = await journal.status(runId);
  if (status === undefined) throw new RunNotFoundError(runId);
  if (status === "running" || status === "rolling_back" || status === "queued")
    throw new RunRefusedError(`run ${runId} is ${status}; purge what it kept when it has finished`);
  const records = await journal.steps(runId);
  const providers = (options.actions ?? ACTIONS).providers;
  const { purged } = await purgeKept(
    journal,
    runId,
    (target, stepIndex) => {
      const record = records.find((r) => r.target === target && r.stepIndex === stepIndex);
      return record === undefined ? undefined : providers.get(record.action);
    },
    { runId, blobs: options.store.blobs, signal: new AbortController().signal },
  );
  return { id: runId, purged };
}
