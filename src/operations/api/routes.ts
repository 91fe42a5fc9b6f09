import type { ApiApp } from "../../api/index.ts";
import type { RunExecutor } from "./executor.ts";
import type { OperationsApi } from "./operations-api.ts";
import { registerOperationsResourceRoutes } from "./operations-routes.ts";
import type { RunBus } from "./run-bus.ts";
import type { RunsApi } from "./runs-api.ts";
import { registerRunsRoutes } from "./runs-routes.ts";

export interface OperationsUnit {
  readonly operations: OperationsApi;
  readonly runs: RunsApi;
  readonly executor: RunExecutor;
  readonly bus: RunBus;
}

/** `/api/operations` and `/api/runs`: the operations engine on the API core. */
export function registerOperationsRoutes(app: ApiApp, unit: OperationsUnit): void {
  registerOperationsResourceRoutes(app, unit.operations);
  registerRunsRoutes(app, unit);
}
