import type { Store } from "../../store/index.ts";
import type { ParamValue } from "../model/index.ts";
import { RunNotFoundError } from "./errors.ts";
import type { RunInput, RunOperation } from "./model.ts";
import { RunRecords } from "./records.ts";

export interface LoadRunInputOptions {
  /** Secrets given again for this undo or resume (they are never stored). */
  readonly secrets?: Readonly<Record<string, unknown>> | undefined;
  /** Who asks, so a missing secret's error says how to pass it (`--param` or the body). */
  readonly how?: "cli" | "api";
}

/**
 * What undo and resume need of a stored run: the operation version it ran (parsed once per text)
 * and its params, each secret (stored only as «secret:name») given again or read from its
 * declared source. One query; RunNotFoundError when the run is not there, SecretRequiredError
 * naming every secret that is missing.
 *
 * @example
 * const { operation, params } = await loadRunInput(store, "run_…", { secrets: { token } });
 */
export async function loadRunInput(
  store: Store,
  runId: string,
  options: LoadRunInputOptions = {},
): Promise<RunInput & { readonly registered: RunOperation }> {
  const found = await new RunRecords(store).withOperation(runId);
  if (!found) throw new RunNotFoundError(runId);
  const operation = found.operation.operation;
  const { supplySecrets } = await import("../secrets/index.ts");
  const params = supplySecrets({
    runId,
    operation,
    stored: JSON.parse(found.run.params) as Record<string, ParamValue>,
    ...(options.secrets ? { given: options.secrets } : {}),
    ...(options.how ? { how: options.how } : {}),
  });
  return { operation, params, registered: found.operation };
}
