export { registerSimulationRoutes } from "./routes.ts";
export { SIMULATION_STATUSES, SimulationCreateSchema, SimulationSchema } from "./schemas.ts";
export {
  MAX_SIMULATED_STEPS,
  type SimulationResource,
  SimulationsApi,
} from "./simulations.ts";
