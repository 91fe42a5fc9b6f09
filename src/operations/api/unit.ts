import type { Unit } from "../../api/index.ts";
import type { AllowList } from "../allow-list/index.ts";
import { registerSimulationRoutes, SimulationsApi } from "../simulate/api/index.ts";
import { SimulationWorkers } from "../simulate/index.ts";
import { RunExecutor } from "./executor.ts";
import { OperationsApi } from "./operations-api.ts";
import { registerOperationsRoutes } from "./routes.ts";
import { RunBus } from "./run-bus.ts";
import { RunsApi } from "./runs-api.ts";

export interface OperationsUnitOptions {
  /** How often a node looks for runs queued on other nodes and for dead nodes' runs, in ms (default 500). */
  readonly runPollMs?: number;
  /** The lease on the work a node runs, in ms (default 30 000): a dead node's work is taken over within lease + one poll. */
  readonly leaseMs?: number;
  /** The only actions this node executes (`serve --allow-actions`); default: every action. */
  readonly allowActions?: AllowList | undefined;
}

/**
 * `/api/operations`, `/api/runs` and `/api/simulations`, the executor that claims queued runs on
 * this node, and the simulations' worker threads.
 */
export const operationsUnit: Unit<OperationsUnitOptions> = {
  name: "operations",
  description:
    "Operations you can undo: registered operation files, their runs (executed by the server), journals and live events.",
  register(app, options) {
    const { store, clock } = app.core;
    const operations = new OperationsApi(app.core, { allowActions: options.allowActions });
    const runs = new RunsApi(app.core, operations);
    const bus = new RunBus();
    const executor = new RunExecutor(store, clock, bus, {
      handoff: runs.handoff,
      ...(options.runPollMs ? { pollMs: options.runPollMs } : {}),
      ...(options.leaseMs ? { leaseMs: options.leaseMs } : {}),
    });
    registerOperationsRoutes(app, { operations, runs, executor, bus });
    // Simulations of registered operations, computed on worker threads (docs/operations.md "Simulate").
    const simulationWorkers = new SimulationWorkers();
    registerSimulationRoutes(app, new SimulationsApi(app.core, operations, simulationWorkers));
    return {
      start: () => executor.start(),
      stop: async (graceMs) => {
        await simulationWorkers.close();
        await executor.stop(graceMs);
      },
    };
  },
};
