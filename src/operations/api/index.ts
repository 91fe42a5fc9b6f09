export { type ExecutorOptions, RunExecutor } from "./executor.ts";
export { OperationsApi } from "./operations-api.ts";
export { type OperationsUnit, registerOperationsRoutes } from "./routes.ts";
export { RunBus } from "./run-bus.ts";
export { RunsApi } from "./runs-api.ts";
