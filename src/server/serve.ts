import type { RequestLogOptions } from "../api/index.ts";
import type { Clock, RateLimitConfig } from "../core/index.ts";
import { Directory, type HealthPolicy, registerOwnUnits } from "../directory/index.ts";
import type { Store } from "../store/index.ts";
import { assembleServer } from "./app.ts";
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
  /** Origins health URLs may point at besides each instance's own (`--health-allow`). */
  readonly healthPolicy?: HealthPolicy | undefined;
}

export interface RunningServer {
  readonly url: string;
  readonly login: LoginToken;
  close(): Promise<void>;
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
    healthPolicy: options.healthPolicy,
  });
  let url: string;
  let login: LoginToken;
  try {
    await app.listen({ host: options.host, port: options.port });
    const address = app.server.address();
    const port = typeof address === "object" && address ? address.port : options.port;
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
      await registerOwnUnits(new Directory(app.core), { units, baseUrl: url, apiVersion: app.core.version });
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
    login,
    close: async () => {
      clearInterval(maintenance);
      await Promise.all(handles.map((h) => h.stop?.()));
      await app.close();
    },
  };
}
