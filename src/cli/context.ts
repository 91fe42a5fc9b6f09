import { opsdojoHome } from "../core/index.ts";
import type { Store } from "../store/index.ts";
import { LocalOnlyError, UsageError } from "./errors.ts";

/** Options every command accepts (declared on the program, read with `optsWithGlobals()`). */
export interface GlobalOptions {
  readonly json?: boolean;
  readonly server?: string;
  readonly token?: string;
}

/** What a command runs against: the store on this machine, or a server through the typed client. */
export type Target =
  | { readonly kind: "local" }
  | { readonly kind: "remote"; readonly url: string; readonly token: string };

/** Everything a command may read from its surroundings; tests build one without a process. */
export interface Session {
  readonly env: NodeJS.ProcessEnv;
  /** Warnings (e.g. a deprecated API operation) that main prints after the result. */
  readonly warnings: string[];
  /** Progress lines for long work (on a terminal only); absent when nobody should see them. */
  readonly progress?: (line: string) => void;
  /** Standard output, for commands that stream (`runs events --follow`); absent in tests that don't. */
  readonly stdout?: (text: string) => void;
  /** Whether `--json` was given: streams print JSON lines. */
  readonly json?: boolean;
  /** Where a live view goes (stderr), unless `--json`: redrawn on a terminal, a plain log otherwise. */
  readonly status?: StatusStream;
}

export interface StatusStream {
  readonly tty: boolean;
  readonly colour: boolean;
  readonly columns: number;
  write(text: string): void;
}

/** `--server`/`--token` win over `OPSDOJO_URL`/`OPSDOJO_TOKEN`; neither means the local store. */
export function resolveTarget(globals: GlobalOptions, env: NodeJS.ProcessEnv): Target {
  const url = globals.server ?? nonEmpty(env.OPSDOJO_URL);
  if (url === undefined) return { kind: "local" };
  const token = globals.token ?? nonEmpty(env.OPSDOJO_TOKEN);
  if (token === undefined) {
    throw new UsageError(`a server (${url}) is given but no token: pass --token odj_… or set OPSDOJO_TOKEN`);
  }
  // `127.0.0.1:7878` is what `serve` prints without its scheme: mean http://, as curl does.
  const full = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`;
  let parsed: URL;
  try {
    parsed = new URL(full);
  } catch {
    throw new UsageError(`--server "${url}" is not a URL; use e.g. http://127.0.0.1:7878`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new UsageError(`--server "${url}" must be an http:// or https:// URL`);
  }
  return { kind: "remote", url: full.replace(/\/+$/, ""), token };
}

/** For commands that only work on the store of this machine (serve, token). */
export function requireLocal(globals: GlobalOptions, command: string): void {
  if (globals.server !== undefined) {
    throw new UsageError(
      `\`${command}\` works on the store of this machine and does not take --server; run it where the store is`,
      command,
    );
  }
}

/**
 * For commands that work on this machine only (`run FILE` reads a file here, `gameday start`
 * injects faults from here): a server given by --server or OPSDOJO_URL is refused, not ignored.
 */
export function refuseServer(
  globals: GlobalOptions,
  env: NodeJS.ProcessEnv,
  command: string,
  why: string,
): void {
  if (globals.server !== undefined || nonEmpty(env.OPSDOJO_URL) !== undefined)
    throw new LocalOnlyError(command, why);
}

/** The store named by `OPSDOJO_DATABASE_URL`, else the embedded one under `OPSDOJO_HOME`. */
export async function openLocalStore(
  env: NodeJS.ProcessEnv,
  options: { backgroundCheckpoints?: boolean } = {},
): Promise<Store> {
  // Loaded here, not at the top: a command against a server never needs SQLite or PostgreSQL.
  const { openStore } = await import("../store/index.ts");
  return openStore({
    databaseUrl: nonEmpty(env.OPSDOJO_DATABASE_URL),
    home: opsdojoHome(env),
    ...options,
    // Before any command's result, so it is seen even when the command then fails.
    onWarning: (message) =>
      void process.stderr.write(`warning: ${message}
`),
  });
}

/** Open the local store, run `task`, and close the store whatever happens. */
export async function withLocalStore<T>(
  env: NodeJS.ProcessEnv,
  task: (store: Store) => Promise<T>,
): Promise<T> {
  const store = await openLocalStore(env);
  try {
    return await task(store);
  } finally {
    await store.close();
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.length > 0 ? value : undefined;
}
