export { type ExecutorOptions, RunExecutor } from "./executor.ts";
export { OperationsApi, type OperationsApiOptions } from "./operations-api.ts";
export { actionNotAllowedProblem } from "./problems.ts";
export { type OperationsUnit, registerOperationsRoutes } from "./routes.ts";
export { RunBus } from "./run-bus.ts";
export { RunsApi } from "./runs-api.ts";
export { type OperationsUnitOptions, operationsUnit } from "./unit.ts";
