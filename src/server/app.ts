import type { ApiApp, ApiCoreOptions } from "../api/index.ts";
import { createApiCore } from "../api/index.ts";
import { InvalidInputError } from "../core/index.ts";
import { registerDashboard } from "./dashboard/index.ts";
import { allUnits, type Unit, type UnitHandle, type UnitOptions } from "./units.ts";

export interface ServerOptions extends ApiCoreOptions, UnitOptions {
  /** Units to serve (default: all). */
  readonly services?: readonly string[] | undefined;
}

export interface AssembledServer {
  readonly app: ApiApp;
  readonly units: readonly Unit[];
  readonly handles: readonly UnitHandle[];
}

/** Pick units by name; an unknown name is an input error that lists the known ones. */
export function selectUnits(names: readonly string[] | undefined, options: UnitOptions = {}): Unit[] {
  const units = allUnits(options);
  if (!names || names.length === 0) return units;
  const known = new Map(units.map((u) => [u.name, u]));
  return names.map((name) => {
    const unit = known.get(name);
    if (!unit)
      throw new InvalidInputError(
        `unknown service "${name}"; this build serves: ${[...known.keys()].join(", ")}`,
      );
    return unit;
  });
}

/** One Fastify app: the API core, the chosen units' routes, and the dashboard. */
export async function assembleServer(options: ServerOptions): Promise<AssembledServer> {
  const units = selectUnits(options.services, options);
  const app = await createApiCore(options);
  const handles = units.map((u) => u.mount(app));
  registerDashboard(app);
  await app.ready();
  return { app, units, handles };
}
