import type { RequestLogOptions } from "../api/index.ts";
import type { Clock, RateLimitConfig } from "../core/index.ts";
import { Directory, type HealthPolicy, registerOwnUnits } from "../directory/index.ts";
import type { MiningLimits } from "../mining/index.ts";
import type { AllowList } from "../operations/index.ts";
import type { Store } from "../store/index.ts";
import { assembleServer } from "./app.ts";
import { exposureWarning, httpUrl } from "./bind.ts";
import { ensureLoginToken, type LoginToken } from "./first-start.ts";

export interface ServeOptions {
  readonly store: Store;
  readonly host: string;
  readonly port: number;
  readonly services?: readonly string[] | undefined;
  readonly rateLimit?: RateLimitConfig | undefined;
  readonly clock?: Clock;
  readonly healthIntervalMs?: number;
  /** Request logging; `opsdojo serve` turns it on at `info` (see api/request-log.ts). */
  readonly logger?: boolean | RequestLogOptions;
  /** The URL clients reach this node by (behind a proxy or on another host): used in Location,
   * problem types and the directory's instance of this node. Default: the listen address. */
  readonly publicUrl?: string | undefined;
  /** The only actions this node executes (`--allow-actions`); default: every action. */
  readonly allowActions?: AllowList | undefined;
  /** Files a request names are read only inside this directory (default: the working directory). */
  readonly filesRoot?: string | undefined;
  /** Mining workers and limits (docs/mining.md: OPSDOJO_MINING_*). */
  readonly mining?: Partial<MiningLimits> | undefined;
  /** Origins health URLs may point at besides each instance's own (`--health-allow`). */
  readonly healthPolicy?: HealthPolicy | undefined;
  /** Lease on the runs and sessions this node plays, and how often it polls (`--lease`, `--poll`). */
  readonly leaseMs?: number | undefined;
  readonly pollMs?: number | undefined;
}

/** How long a stopping server waits for running steps before it cancels them (`--grace`). */
export const DEFAULT_GRACE_MS = 5000;

export interface RunningServer {
  /** Where clients reach this node: the public URL, else the listen address (loopback for a wildcard bind). */
  readonly url: string;
  /** The address actually bound, e.g. `http://0.0.0.0:7878`. */
  readonly listenUrl: string;
  /** Set when the bind reaches beyond this machine: what to tell the operator. */
  readonly exposure: string | undefined;
  readonly login: LoginToken;
  /**
   * Shut down: new requests get 503 and event streams end at once; running steps get `graceMs`
   * (default 5 s) to finish, then are cancelled and their runs left `interrupted`; resolves
   * within about `graceMs` + 1.5 s. See docs/getting-started.md "Stopping the server".
   */
  close(graceMs?: number): Promise<void>;
}

/** Listen, register this node's units in the directory, start background work. */
export async function serve(options: ServeOptions): Promise<RunningServer> {
  const { app, units, handles } = await assembleServer({
    store: options.store,
    services: options.services,
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.healthIntervalMs ? { healthIntervalMs: options.healthIntervalMs } : {}),
    ...(options.logger !== undefined ? { logger: options.logger } : {}),
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
    ...(options.allowActions ? { allowActions: options.allowActions } : {}),
    ...(options.filesRoot ? { filesRoot: options.filesRoot } : {}),
    ...(options.mining ? { mining: options.mining } : {}),
    healthPolicy: options.healthPolicy,
    ...(options.leaseMs ? { leaseMs: options.leaseMs } : {}),
    ...(options.pollMs ? { runPollMs: options.pollMs, takeoverPollMs: options.pollMs } : {}),
  });
  let url: string;
  let listenUrl: string;
  let login: LoginToken;
  try {
    await app.listen({ host: options.host, port: options.port });
    const address = app.server.address();
    const port = typeof address === "object" && address ? address.port : options.port;
    listenUrl = httpUrl(typeof address === "object" && address ? address.address : options.host, port);
    // A wildcard bind is reachable on loopback; other nodes need --public-url to find this one.
    const host =
      options.host === "0.0.0.0"
        ? "127.0.0.1"
        : options.host === "::"
          ? "[::1]"
          : options.host.includes(":")
            ? `[${options.host}]`
            : options.host;
    url = options.publicUrl?.replace(/\/+$/, "") ?? `http://${host}:${port}`;
    if (units.some((u) => u.name === "directory")) {
      const own = new Directory(app.core);
      try {
        await registerOwnUnits(own, { units, baseUrl: url, apiVersion: app.core.version });
      } finally {
        own.close();
      }
    }
    login = await ensureLoginToken(app.core.tokens, app.core.clock);
  } catch (error) {
    // Never leave a listener up in front of a store that is about to close.
    await app.close().catch(() => {});
    throw error;
  }
  for (const h of handles) h.start?.();
  const maintenance = setInterval(() => {
    void Promise.allSettled([
      app.core.rateLimiter.purge(),
      app.core.idempotency.purge(),
      app.core.tokens.purgeExpired(),
    ]);
  }, 60_000);
  maintenance.unref();
  return {
    url,
    listenUrl,
    exposure: exposureWarning(options.host, listenUrl, options.publicUrl),
    login,
    close: async (graceMs = DEFAULT_GRACE_MS) => {
      clearInterval(maintenance);
      app.core.drain.begin();
      await Promise.all(handles.map((h) => h.stop?.(graceMs)));
      await closeApp(app);
    },
  };
}

/** Close the app; connections still open after a short while (a client mid-request) are cut. */
async function closeApp(app: Awaited<ReturnType<typeof assembleServer>>["app"]): Promise<void> {
  const cut = setTimeout(() => app.server.closeAllConnections(), 300);
  try {
    await app.close();
  } finally {
    clearTimeout(cut);
  }
}
