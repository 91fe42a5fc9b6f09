import type { Unit } from "../api/index.ts";
import { Directory } from "./directory.ts";
import { registerHealthHistoryRoute } from "./health-history-routes.ts";
import { HealthPoller } from "./health-poller.ts";
import type { HealthPolicy } from "./health-target.ts";
import { registerServicesRoutes } from "./services-routes.ts";

export interface DirectoryUnitOptions {
  /** How often the directory polls instance health, in ms. */
  readonly healthIntervalMs?: number;
  /** Where registered health URLs may point besides each instance's origin (`--health-allow`). */
  readonly healthPolicy?: HealthPolicy | undefined;
}

/** `/api/services` and the health poller of their instances. */
export const directoryUnit: Unit<DirectoryUnitOptions> = {
  name: "directory",
  description: "Service directory: every API service, its versions, instances and health.",
  register(app, options) {
    const policy = options.healthPolicy ? { healthPolicy: options.healthPolicy } : {};
    const directory = new Directory(app.core, policy);
    registerServicesRoutes(app, directory);
    registerHealthHistoryRoute(app, directory);
    const poller = new HealthPoller(directory, app.core.clock, { policy: options.healthPolicy });
    return {
      start: () => poller.start(options.healthIntervalMs ?? 30_000),
      stop: async () => {
        await poller.stop();
        directory.close();
      },
    };
  },
};
