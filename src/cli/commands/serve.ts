import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { Command } from "commander";
import { parseLogLevel } from "../../api/index.ts";
import {
  DEFAULT_HOST,
  DEFAULT_PORT,
  DEFAULT_RATE_LIMIT,
  InvalidInputError,
  parseRateLimit,
  type RateLimitConfig,
} from "../../core/index.ts";
import { healthPolicyFrom } from "../../directory/index.ts";
import { resolveMiningLimits } from "../../mining/index.ts";
import { AllowList, parseDuration } from "../../operations/index.ts";
import { DEFAULT_GRACE_MS, type RunningServer, serve, UNIT_NAMES } from "../../server/index.ts";
import { type GlobalOptions, openLocalStore, requireLocal, type Session } from "../context.ts";
import { PortInUseError } from "../errors.ts";
import { collectList } from "../list-options.ts";
import type { CommandResult } from "../output.ts";
import type { Runner } from "../runner.ts";

export interface ServeCommandOptions {
  readonly host: string;
  readonly port?: string | undefined;
  readonly services?: readonly string[] | undefined;
  readonly rateLimit?: string | undefined;
  readonly publicUrl?: string | undefined;
  readonly grace?: string | undefined;
  readonly allowActions?: string | undefined;
  readonly filesRoot?: string | undefined;
  readonly healthAllow?: string | undefined;
  readonly lease?: string | undefined;
  readonly poll?: string | undefined;
  readonly logLevel?: string | undefined;
  readonly quiet?: boolean | undefined;
}

/** Where the process learns that it should stop; `process` outside tests. */
export interface StopSignals {
  once(signal: "SIGINT" | "SIGTERM", listener: () => void): unknown;
  off(signal: "SIGINT" | "SIGTERM", listener: () => void): unknown;
}

/** `--grace 5s`: how long a stop waits for running steps before it cancels them. */
export function parseGrace(text: string | undefined): number {
  if (text === undefined) return DEFAULT_GRACE_MS;
  const m = /^(\d{1,7})(ms|s)?$/.exec(text.trim());
  if (!m) throw new InvalidInputError(`--grace "${text}" must be a duration such as 5s, 500ms or 0`);
  return Number(m[1]) * (m[2] === "ms" ? 1 : 1000);
}

/**
 * `--lease`/`OPSDOJO_LEASE` and `--poll`/`OPSDOJO_POLL`: how long the lease on a node's runs and
 * sessions lasts unrenewed, and how often a node looks for queued work and dead nodes' work. A
 * dead node's work is taken over within lease + one poll (docs/architecture.md "Many nodes").
 */
export function parseClusterTiming(
  options: Pick<ServeCommandOptions, "lease" | "poll">,
  env: NodeJS.ProcessEnv,
): { leaseMs?: number; pollMs?: number } {
  const read = (flag: string | undefined, name: string, variable: string, min: number, max: number) => {
    const text = flag ?? (env[variable] || undefined);
    if (text === undefined) return undefined;
    const ms = parseDuration(text.trim());
    const source = flag !== undefined ? name : variable;
    if (ms === undefined || ms < min || ms > max) {
      throw new InvalidInputError(
        `${source} "${text.slice(0, 40)}" must be a duration from ${min}ms to ${max / 1000}s, such as ${name === "--lease" ? "30s" : "500ms"}`,
      );
    }
    return ms;
  };
  // Renewed every third of the lease, and at most once a second: under 3 s it would lapse.
  const leaseMs = read(options.lease, "--lease", "OPSDOJO_LEASE", 3000, 3_600_000);
  const pollMs = read(options.poll, "--poll", "OPSDOJO_POLL", 10, 60_000);
  return { ...(leaseMs ? { leaseMs } : {}), ...(pollMs ? { pollMs } : {}) };
}

/** `--port`, else `OPSDOJO_PORT`, else 7878; 0 picks a free port. */
export function parsePort(flag: string | undefined, env: NodeJS.ProcessEnv): number {
  const text = flag ?? (env.OPSDOJO_PORT || undefined);
  if (text === undefined) return DEFAULT_PORT;
  const source = flag !== undefined ? "--port" : "OPSDOJO_PORT";
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) {
    throw new InvalidInputError(`${source} "${text}" must be a whole number from 0 to 65535`);
  }
  return Number(text);
}

/**
 * Start the server on the local store and hand back what to print; the result's `running`
 * settles once SIGINT or SIGTERM has closed the server and the store.
 */
export async function runServe(
  session: Session,
  options: ServeCommandOptions,
  signals: StopSignals = process,
): Promise<CommandResult> {
  const port = parsePort(options.port, session.env);
  const rateLimit: RateLimitConfig | undefined =
    options.rateLimit === undefined ? undefined : parseRateLimit(options.rateLimit);
  const units = options.services && options.services.length > 0 ? options.services : UNIT_NAMES;
  const publicUrl = options.publicUrl === undefined ? undefined : parsePublicUrl(options.publicUrl);
  const graceMs = parseGrace(options.grace);
  const allowActions = parseAllowActions(options.allowActions, session.env);
  const filesRoot = await parseFilesRoot(options.filesRoot, session.env);
  // OPSDOJO_MINING_* (docs/mining.md); a bad value stops the start with the variable named.
  const mining = resolveMiningLimits({}, session.env);
  const healthPolicy = healthPolicyFrom(options.healthAllow, session.env);
  const timing = parseClusterTiming(options, session.env);
  const level = options.quiet ? "silent" : parseLogLevel(options.logLevel, session.env);
  // A server commits all day long: SQLite's checkpoints go to a thread of their own (issue 11).
  const store = await openLocalStore(session.env, { backgroundCheckpoints: true });
  let server: RunningServer;
  try {
    server = await serve({
      store,
      host: options.host,
      port,
      services: units,
      rateLimit,
      publicUrl,
      allowActions,
      filesRoot,
      mining,
      healthPolicy,
      ...timing,
      logger: { level },
    });
  } catch (error) {
    await store.close();
    throw listenError(error, options.host, port);
  }

  const running = new Promise<void>((resolve, reject) => {
    const stop = () => {
      // With no listener left, a second SIGINT or SIGTERM gets the default action: the process
      // ends at once (runs it held are then found interrupted by the next command).
      signals.off("SIGINT", stop);
      signals.off("SIGTERM", stop);
      server
        .close(graceMs)
        .then(() => store.close())
        .then(resolve, reject);
    };
    signals.once("SIGINT", stop);
    signals.once("SIGTERM", stop);
  });

  if (server.exposure) session.warnings.push(server.exposure);
  const { login } = server;
  // The link only ever carries a read-only session token (first-start.ts).
  const dashboard = `${linkBase(server.url)}/#token=${login.dashboardToken}`;
  return {
    json: {
      url: server.url,
      listen: server.listenUrl,
      allow_actions: allowActions ? [...allowActions.entries] : null,
      files_root: filesRoot,
      dashboard_url: dashboard,
      token: login.token,
      first_start: login.firstStart,
      expires_at: login.expiresAt,
      store: store.location,
      services: [...units],
    },
    text: (s) =>
      [
        `opsdojo is serving ${units.join(", ")} on ${s.bold(server.listenUrl)}`,
        ...(server.url !== server.listenUrl ? [s.dim(`reached at: ${server.url}`)] : []),
        s.dim(`store: ${store.location}`),
        s.dim(`files root: ${filesRoot}`),
        ...(allowActions ? [s.dim(`executes only: ${allowActions.entries.join(", ")}`)] : []),
        "",
        "Dashboard:",
        `  ${s.cyan(dashboard)}`,
        login.firstStart
          ? [
              s.dim(
                `This link carries a read-only session token valid for 24 hours (until ${login.dashboardExpiresAt}).`,
              ),
              "",
              "Admin token:",
              `  ${login.token}`,
              s.yellow("Shown only this once: keep it (e.g. export OPSDOJO_TOKEN=…)."),
            ].join("\n")
          : s.dim(
              `This link carries a read-only session token valid for 24 hours (until ${login.expiresAt}); every start prints a new one. To change things, use the admin token or one from \`opsdojo token create\`.`,
            ),
        "",
        s.dim("Press Ctrl-C to stop."),
      ].join("\n"),
    running,
  };
}

function parsePublicUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidInputError(`--public-url "${text}" is not a URL; e.g. https://opsdojo.example.com`);
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.search || url.hash) {
    throw new InvalidInputError(`--public-url "${text}" must be an http(s) URL without query or fragment`);
  }
  return text.replace(/\/+$/, "");
}

/** `--allow-actions`, else `OPSDOJO_ALLOW_ACTIONS`; neither: every action is allowed. */
export function parseAllowActions(flag: string | undefined, env: NodeJS.ProcessEnv): AllowList | undefined {
  if (flag !== undefined) return AllowList.parse(flag, "--allow-actions");
  const text = env.OPSDOJO_ALLOW_ACTIONS;
  return text ? AllowList.parse(text, "OPSDOJO_ALLOW_ACTIONS") : undefined;
}

/** `--files-root`, else `OPSDOJO_FILES_ROOT`, else the working directory: an existing directory. */
async function parseFilesRoot(flag: string | undefined, env: NodeJS.ProcessEnv): Promise<string> {
  const given = flag ?? (env.OPSDOJO_FILES_ROOT || undefined);
  const root = resolve(given ?? process.cwd());
  const info = await stat(root).catch(() => undefined);
  if (!info?.isDirectory()) {
    const source = flag !== undefined ? "--files-root" : "OPSDOJO_FILES_ROOT";
    throw new InvalidInputError(
      `${source} "${given}" is not a directory; give the directory operation files are read from`,
    );
  }
  return root;
}

/** A server bound to every address is still best opened on loopback. */
function linkBase(url: string): string {
  return url.replace("//0.0.0.0:", "//127.0.0.1:").replace("//[::]:", "//[::1]:");
}

function listenError(error: unknown, host: string, port: number): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "EADDRINUSE") return new PortInUseError(host, port, error);
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") {
    return new InvalidInputError(
      `--host ${host} is not an address of this machine; use 127.0.0.1 (default) or 0.0.0.0`,
    );
  }
  if (code === "EACCES") {
    return new InvalidInputError(`not allowed to listen on port ${port}; use a port above 1023`);
  }
  return error;
}

export function serveCommand(session: Session, run: Runner): Command {
  return new Command("serve")
    .description("run the API server and the dashboard until Ctrl-C")
    .option("--host <address>", "address to listen on", DEFAULT_HOST)
    .option(
      "--port <port>",
      `port to listen on, 0 for any free port (env OPSDOJO_PORT, default ${DEFAULT_PORT})`,
    )
    .option(
      "--services <names>",
      `units to serve, comma-separated (default all: ${UNIT_NAMES.join(",")})`,
      collectList,
    )
    .option(
      "--rate-limit <quota>",
      `requests per token per window (default ${DEFAULT_RATE_LIMIT.quota}/${DEFAULT_RATE_LIMIT.windowSeconds}s)`,
    )
    .option("--public-url <url>", "the URL clients reach this node by (behind a proxy, or for other nodes)")
    .option(
      "--grace <duration>",
      `on SIGTERM/SIGINT, how long running steps may go on before they are cancelled (default ${DEFAULT_GRACE_MS / 1000}s)`,
    )
    .option(
      "--allow-actions <list>",
      "execute only these actions, e.g. file.*,s3.* (env OPSDOJO_ALLOW_ACTIONS; default all)",
    )
    .option(
      "--files-root <dir>",
      "read files a request names only inside DIR (env OPSDOJO_FILES_ROOT; default the working directory)",
    )
    .option(
      "--health-allow <origins>",
      "origins health URLs may point at besides each instance's own, comma-separated (env OPSDOJO_HEALTH_ALLOW)",
    )
    .option(
      "--lease <duration>",
      "lease on the runs and sessions this node plays: a dead node's work is taken over by another within lease + one poll (env OPSDOJO_LEASE, default 30s)",
    )
    .option(
      "--poll <duration>",
      "how often this node looks for queued runs and for dead nodes' work (env OPSDOJO_POLL, default 500ms)",
    )
    .option(
      "--log-level <level>",
      "request log on standard error: fatal, error, warn, info, debug, trace or silent (env OPSDOJO_LOG_LEVEL, default info)",
    )
    .option("--quiet", "no request log (same as --log-level silent)")
    .addHelpText("after", "\nExample:\n  opsdojo serve --port 8080 --services directory")
    .action((options: ServeCommandOptions, cmd: Command) =>
      run(async () => {
        requireLocal(cmd.optsWithGlobals<GlobalOptions>(), "opsdojo serve");
        return runServe(session, options);
      }),
    );
}
