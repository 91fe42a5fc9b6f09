import type { Operation, ParamValue } from "../model/index.ts";
import { NotASecretError, SecretRequiredError } from "./errors.ts";
import { isSecretMarker, secretParams } from "./model.ts";
import { processSources, readSource, type SourceReader } from "./sources.ts";

/**
 * The params of a run to undo or resume: what the store kept, with each secret (kept only as
 * `«secret:<name>»`) given again by the caller or read from its declared source. Missing ones
 * fail with SecretRequiredError naming every one and how to pass it; given values of params that
 * are not secret are refused — a run is undone with the params it ran with.
 *
 * @example supplySecrets({ runId, operation, stored: { token: "«secret:token»" }, given: { token: "s3cr3t" } })
 */
export function supplySecrets(input: {
  readonly runId: string;
  readonly operation: Pick<Operation, "params">;
  readonly stored: Readonly<Record<string, unknown>>;
  readonly given?: Readonly<Record<string, unknown>>;
  readonly how?: "cli" | "api";
  readonly reader?: SourceReader;
}): Record<string, ParamValue> {
  const params = { ...input.stored } as Record<string, ParamValue>;
  const secrets = new Map(secretParams(input.operation));
  const given = input.given ?? {};
  const refused = Object.keys(given).filter((name) => !secrets.has(name));
  if (refused.length > 0) {
    throw new NotASecretError(input.runId, refused);
  }
  const missing: string[] = [];
  for (const [name, param] of secrets) {
    const value = given[name];
    if (typeof value === "string" && value !== "" && !isSecretMarker(value)) {
      params[name] = value;
      continue;
    }
    // A secret the run never had (optional, not given) is not needed to undo it.
    if (!isSecretMarker(params[name])) continue;
    const fromSource = readSource(name, param, input.reader ?? processSources);
    if (fromSource === undefined) missing.push(name);
    else params[name] = fromSource;
  }
  if (missing.length > 0) throw new SecretRequiredError(input.runId, missing, input.how);
  return params;
}

/** Refuse to run with a stand-in where a secret belongs (the engine's last line of defence). */
export function assertSecretsPresent(
  runId: string,
  operation: Pick<Operation, "params">,
  params: Readonly<Record<string, unknown>>,
): void {
  const missing = secretParams(operation)
    .map(([name]) => name)
    .filter((name) => isSecretMarker(params[name]));
  if (missing.length > 0) throw new SecretRequiredError(runId, missing);
}
