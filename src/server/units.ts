import type { ApiApp } from "../api/index.ts";
import { Directory, type HealthPolicy, HealthPoller, registerDirectoryRoutes } from "../directory/index.ts";
import { createGamedaysUnit, registerGamedayRoutes, registerTeamRoutes } from "../gamedays/index.ts";
import type { MiningLimits } from "../mining/index.ts";
import { createMiningUnit, registerMiningRoutes } from "../mining/index.ts";
import type { AllowList } from "../operations/index.ts";
import {
  OperationsApi,
  RunBus,
  RunExecutor,
  RunsApi,
  registerOperationsRoutes,
} from "../operations/index.ts";

/** A functional unit a node can serve: its routes, and what it runs in the background. */
export interface Unit {
  readonly name: string;
  readonly description: string;
  mount(app: ApiApp): UnitHandle;
}

export interface UnitHandle {
  /** Start background work (pollers, workers); the server calls it once it listens. */
  start?(): void;
  /**
   * Stop background work: take no more, give what is going on `graceMs` to finish, then cancel
   * it — resolving within about `graceMs` + 1 s whatever the work does.
   */
  stop?(graceMs: number): Promise<void>;
}

export interface UnitOptions {
  /** How often the directory polls instance health, in ms. */
  readonly healthIntervalMs?: number;
  /** How often a node looks for runs queued on other nodes, in ms (default 500). */
  readonly runPollMs?: number;
  /** The only actions this node executes (`serve --allow-actions`); default: every action. */
  readonly allowActions?: AllowList | undefined;
  /** Files a request names are read only inside this directory (default: the working directory). */
  readonly filesRoot?: string | undefined;
  /** Mining workers and limits (docs/mining.md); defaults where not given. */
  readonly mining?: Partial<MiningLimits>;
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
        const operations = new OperationsApi(app.core, { allowActions: options.allowActions });
        const runs = new RunsApi(app.core, operations);
        const bus = new RunBus();
        const executor = new RunExecutor(store, clock, bus, {
          handoff: runs.handoff,
          ...(options.runPollMs ? { pollMs: options.runPollMs } : {}),
        });
        registerOperationsRoutes(app, { operations, runs, executor, bus });
        return { start: () => executor.start(), stop: (graceMs) => executor.stop(graceMs) };
      },
    },
    {
      name: "gamedays",
      description:
        "Game days: registered scenarios, sessions (started over the API and played by the server, or by the CLI's `gameday start`) with faults, injection instants and metrics, and their timelines (paginated, or live over SSE) with human entries.",
      mount(app) {
        const unit = createGamedaysUnit(app.core, {
          allowActions: options.allowActions,
          filesRoot: options.filesRoot,
        });
        registerGamedayRoutes(app, unit);
        return {
          stop: async (graceMs) => {
            unit.streams.closeAll();
            // Each hosted session ends (the GM's word) and restores its faults; one whose restore
            // outlasts the grace is left to its lease, for `gameday restore`.
            await withinMs(unit.host.stop(), graceMs + 1000);
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
        const unit = createMiningUnit(app.core, options.mining);
        registerMiningRoutes(app, unit);
        // Also closed by the app's preClose; here so that stopping the units ends mining first.
        return { stop: () => unit.workers.close() };
      },
    },
  ];
}

export const UNIT_NAMES = allUnits().map((u) => u.name);

/** Wait for `work`, but no longer than `ms`. */
async function withinMs(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  try {
    await Promise.race([work.then(() => undefined), late]);
  } finally {
    clearTimeout(timer);
  }
}
