import type { ApiApp, ApiCoreOptions, Unit, UnitHandle } from "../api/index.ts";
import { createApiCore } from "../api/index.ts";
import { InvalidInputError } from "../core/index.ts";
import { registerDashboard } from "./dashboard/index.ts";
import { UNITS, type UnitOptions } from "./units.ts";

export interface ServerOptions extends ApiCoreOptions, UnitOptions {
  /** Units to serve (default: all). */
  readonly services?: readonly string[] | undefined;
}

export interface AssembledServer {
  readonly app: ApiApp;
  readonly units: readonly Unit<UnitOptions>[];
  readonly handles: readonly UnitHandle[];
}

/** Pick units by name; an unknown name is an input error that lists the known ones. */
export function selectUnits(names: readonly string[] | undefined): Unit<UnitOptions>[] {
  if (!names || names.length === 0) return [...UNITS];
  const known = new Map(UNITS.map((u) => [u.name, u]));
  return names.map((name) => {
    const unit = known.get(name);
    if (!unit)
      throw new InvalidInputError(
        `unknown service "${name}"; this build serves: ${[...known.keys()].join(", ")}`,
      );
    return unit;
  });
}

/** One Fastify app: the API core, each chosen unit registered with the server's options, and the dashboard. */
export async function assembleServer(options: ServerOptions): Promise<AssembledServer> {
  const units = selectUnits(options.services);
  const app = await createApiCore(options);
  const handles = units.map((u) => u.register(app, options));
  registerDashboard(app);
  await app.ready();
  return { app, units, handles };
}
