import type { ApiApp } from "../api/index.ts";
import { Directory, type HealthPolicy, HealthPoller, registerDirectoryRoutes } from "../directory/index.ts";
import { createGamedaysUnit, registerGamedayRoutes } from "../gamedays/api/index.ts";
import { registerTeamRoutes } from "../gamedays/team/index.ts";
import { createMiningUnit, registerMiningRoutes } from "../mining/api/index.ts";
import {
  OperationsApi,
  RunBus,
  RunExecutor,
  RunsApi,
  registerOperationsRoutes,
} from "../operations/api/index.ts";

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
  /** How often a node looks for runs queued on other nodes, in ms (default 500). */
  readonly runPollMs?: number;
  /** Where registered health URLs may point besides each instance's origin (`--health-allow`). */
  readonly healthPolicy?: HealthPolicy | undefined;
}

export function allUnits(options: UnitOptions = {}): Unit[] {
  return [
    {
      name: "directory",
      description: "Service directory: every API service, its versions, instances and health.",
      mount(app) {
        const policy = options.healthPolicy ? { healthPolicy: options.healthPolicy } : {};
        const directory = new Directory(app.core, policy);
        registerDirectoryRoutes(app, directory);
        const poller = new HealthPoller(directory, app.core.clock, { policy: options.healthPolicy });
        return {
          start: () => poller.start(options.healthIntervalMs ?? 30_000),
          stop: () => poller.stop(),
        };
      },
    },
    {
      name: "operations",
      description:
        "Operations you can undo: registered operation files, their runs (executed by the server), journals and live events.",
      mount(app) {
        const { store, clock } = app.core;
        const operations = new OperationsApi(app.core);
        const runs = new RunsApi(app.core, operations);
        const bus = new RunBus();
        const executor = new RunExecutor(store, clock, bus, {
          ...(options.runPollMs ? { pollMs: options.runPollMs } : {}),
        });
        registerOperationsRoutes(app, { operations, runs, executor, bus });
        return { start: () => executor.start(), stop: () => executor.stop() };
      },
    },
    {
      name: "gamedays",
      description:
        "Game days: registered scenarios, sessions (started over the API and played by the server, or by the CLI's `gameday start`) with faults, injection instants and metrics, and their timelines (paginated, or live over SSE) with human entries.",
      mount(app) {
        const unit = createGamedaysUnit(app.core);
        registerGamedayRoutes(app, unit);
        return {
          stop: async () => {
            await unit.host.stop();
            unit.streams.closeAll();
          },
        };
      },
    },
    {
      name: "gamedays-team",
      description: "Game-day people and follow-up: team members, interviews and postmortem action items.",
      mount(app) {
        registerTeamRoutes(app);
        return {};
      },
    },
    {
      name: "mining",
      description:
        "Process mining: log lines mined into templates and event logs, process models (JSON, DOT, SVG, PNML), deviations of cases from a model (paginated or live over SSE).",
      mount(app) {
        registerMiningRoutes(app, createMiningUnit(app.core));
        return {};
      },
    },
  ];
}

export const UNIT_NAMES = allUnits().map((u) => u.name);
