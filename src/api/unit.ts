import type { ApiApp } from "./core.ts";

/** What a unit runs in the background; the server starts it once it listens and stops it on close. */
export interface UnitHandle {
  /** Start background work (pollers, workers); the server calls it once it listens. */
  start?(): void;
  /**
   * Stop background work: take no more, give what is going on `graceMs` to finish, then cancel
   * it — resolving within about `graceMs` + 1 s whatever the work does.
   */
  stop?(graceMs: number): Promise<void>;
}

/**
 * A functional unit a node can serve, in the one shape every unit has: a plugin that mounts the
 * unit's resources on the app with the options it declares (`O`, a slice of the server's
 * options), and hands back its background work.
 *
 * It is called on the root app rather than through `app.register`: a unit adds routes and
 * nothing that needs encapsulation, and the server needs its handle back at once to start and
 * stop it with the node.
 *
 * @example
 * export const directoryUnit: Unit<DirectoryUnitOptions> = {
 *   name: "directory",
 *   description: "Service directory: …",
 *   register(app, options) {
 *     const directory = new Directory(app.core);
 *     registerServicesRoutes(app, directory);
 *     const poller = new HealthPoller(directory, app.core.clock);
 *     return { start: () => poller.start(options.healthIntervalMs ?? 30_000), stop: () => poller.stop() };
 *   },
 * };
 */
export interface Unit<O = object> {
  /** What `serve --services` names it by. */
  readonly name: string;
  /** One sentence, shown in the directory entry a node registers for itself. */
  readonly description: string;
  register(app: ApiApp, options: O): UnitHandle;
}
