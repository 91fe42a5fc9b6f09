import { type DiscoveredModel, renderModel } from "../../mining/index.ts";
import { type GlobalOptions, resolveTarget, type Session } from "../context.ts";
import { UsageError } from "../errors.ts";
import { apiClient, call } from "../remote/index.ts";

/** Where an uploaded model now lives on the server. */
export interface Uploaded {
  readonly id: string;
  readonly name: string;
  readonly url: string;
}

/**
 * `mine discover … --upload`: store the model just discovered here on the server given by
 * --server/OPSDOJO_URL (POST /api/mining/models with the model document), where the dashboard
 * and `mine check` against the API can use it. The log itself stays on this machine.
 */
export async function uploadModel(
  session: Session,
  globals: GlobalOptions,
  model: DiscoveredModel,
  name: string,
): Promise<Uploaded> {
  const target = resolveTarget(globals, session.env);
  if (target.kind !== "remote") {
    throw new UsageError(
      "--upload stores the model on a server: give one with --server URL (or OPSDOJO_URL) and a token",
      "opsdojo mine discover",
    );
  }
  const api = apiClient({ url: target.url, token: target.token, warn: (m) => session.warnings.push(m) });
  const document = JSON.parse(renderModel(model, "json")) as Record<string, unknown>;
  const stored = await call(target.url, api.POST("/api/mining/models", { body: { name, model: document } }));
  return { id: stored.id, name: stored.name, url: `${target.url}/api/mining/models/${stored.id}` };
}
