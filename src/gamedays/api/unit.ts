import type { Unit } from "../../api/index.ts";
import type { AllowList } from "../../operations/index.ts";
import { createGamedaysUnit } from "./create.ts";
import { registerGamedayRoutes } from "./routes.ts";

export interface GamedaysUnitOptions {
  /** The only actions this node executes (`serve --allow-actions`); default: every action. */
  readonly allowActions?: AllowList | undefined;
  /** Files a request names are read only inside this directory (default: the working directory). */
  readonly filesRoot?: string | undefined;
  /** The lease on the sessions this node hosts, in ms (default 30 000). */
  readonly leaseMs?: number;
  /** How often this node looks for sessions of dead nodes to restore, in ms (default 1 000). */
  readonly takeoverPollMs?: number;
}

/** `/api/scenarios` and `/api/sessions`, and the sessions this node hosts. */
export const gamedaysUnit: Unit<GamedaysUnitOptions> = {
  name: "gamedays",
  description:
    "Game days: registered scenarios, sessions (started over the API and played by the server, or by the CLI's `gameday start`) with faults, injection instants and metrics, and their timelines (paginated, or live over SSE) with human entries.",
  register(app, options) {
    const unit = createGamedaysUnit(app.core, {
      allowActions: options.allowActions,
      filesRoot: options.filesRoot,
      ...(options.leaseMs ? { leaseMs: options.leaseMs } : {}),
      ...(options.takeoverPollMs ? { takeoverPollMs: options.takeoverPollMs } : {}),
    });
    registerGamedayRoutes(app, unit);
    return {
      start: () => unit.host.watch(),
      stop: async (graceMs) => {
        unit.streams.closeAll();
        // Each hosted session ends (the GM's word) and restores its faults; one whose restore
        // outlasts the grace is left to its lease, for `gameday restore`.
        await withinMs(unit.host.stop(), graceMs + 1000);
      },
    };
  },
};

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
