import type { ApiApp } from "../api/index.ts";
import { Directory, HealthPoller, registerDirectoryRoutes } from "../directory/index.ts";

/** A functional unit a node can serve: its routes, and what it runs in the background. */
export interface Unit {
  readonly name: string;
  readonly description: string;
  mount(app: ApiApp): UnitHandle;
}

export interface UnitHandle {
  /** Start background work (pollers, workers); the server calls it once it listens. */
  start?(): void;
  stop?(): Promise<void>;
}

export interface UnitOptions {
  /** How often the directory polls instance health, in ms. */
  readonly healthIntervalMs?: number;
}

export function allUnits(options: UnitOptions = {}): Unit[] {
  return [
    {
      name: "directory",
      description: "Service directory: every API service, its versions, instances and health.",
      mount(app) {
        const directory = new Directory(app.core);
        registerDirectoryRoutes(app, directory);
        const poller = new HealthPoller(directory, app.core.clock);
        return {
          start: () => poller.start(options.healthIntervalMs ?? 30_000),
          stop: () => poller.stop(),
        };
      },
    },
  ];
}

export const UNIT_NAMES = allUnits().map((u) => u.name);
