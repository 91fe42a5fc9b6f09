import { type ChildProcess, execFile, spawn } from "node:child_process";
import { chownSync, closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";

const run = promisify(execFile);

/** A throwaway PostgreSQL cluster owned by the test run. */
export interface PostgresCluster {
  /** URL of the database created at start (`postgres://postgres@127.0.0.1:PORT/opsdojo`). */
  readonly url: string;
  /** URL of the maintenance database `postgres`, for creating and dropping databases. */
  readonly adminUrl: string;
  /** The temp dir holding the data directory, the socket directory and the server log. */
  readonly dir: string;
  /** Create an empty database; returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stop the server and remove its directory. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  /** Name of the database created at start (default `opsdojo`). */
  readonly database?: string;
}

const DEBIAN_ROOT = "/usr/lib/postgresql";
const SUPERUSER = "postgres";
const OS_USER = "postgres";
const START_TIMEOUT_MS = 30_000;

/**
 * Runs the server ("$@") and stops it when our end of its stdin closes: when we stop it, and also
 * when this process dies without cleaning up (a killed worker, a crash), which no exit handler
 * survives. The shell exits with the server, so its exit is the server's exit.
 */
const WATCHDOG = [
  "exec 3<&0",
  '"$@" </dev/null 3<&- &',
  "pid=$!",
  '( read -r _ <&3; kill -INT "$pid" 2>/dev/null ) &',
  'wait "$pid"',
].join("\n");
const STOP_TIMEOUT_MS = 10_000;

/**
 * Start a PostgreSQL cluster in a new temp dir: `initdb`, then `postgres` listening on
 * 127.0.0.1 only, on a free port, with its unix socket inside the temp dir and durability off
 * (the data is thrown away). As root, both run as the `postgres` OS user through `runuser`,
 * because `initdb` refuses to run as root. Auth is `trust`: the server is reachable from
 * loopback only and lives as long as the test run.
 *
 * @example
 * const pg = await startPostgres();
 * const url = await pg.createDatabase("t_1"); // postgres://postgres@127.0.0.1:54012/t_1
 * await pg.stop();
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresCluster> {
  const database = checkDatabaseName(options.database ?? "opsdojo");
  const bin = await findPostgresBin();
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? await osUser(OS_USER) : undefined;

  const dir = await mkdtemp(join(tmpdir(), "opsdojo-pg-"));
  try {
    if (owner) chownSync(dir, owner.uid, owner.gid);
    const data = join(dir, "data");
    const sockets = join(dir, "sock");
    await asUser(
      asRoot,
      join(bin, "initdb"),
      ["-D", data, "-U", SUPERUSER, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"],
      dir,
    );
    await mkdir(sockets);
    if (owner) chownSync(sockets, owner.uid, owner.gid);

    // A free port can be taken between our probe and the server's bind: try a few.
    let lastError: unknown;
    for (let attempt = 0; attempt < 5; attempt++) {
      const port = await freePort();
      try {
        const server = await launch({ bin, asRoot, dir, data, sockets, port });
        return await cluster(server, dir, port, database);
      } catch (error) {
        lastError = error;
        if (!(error instanceof PortInUseError)) throw error;
      }
    }
    throw lastError;
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Create database `name` through the maintenance database at `adminUrl`; returns its URL. */
export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  checkDatabaseName(name);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  return withDatabase(adminUrl, name);
}

/** The same server, another database. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** The directory holding `initdb` and `postgres`, or a clear error saying how to get them. */
export async function findPostgresBin(): Promise<string> {
  const versions = existsSync(DEBIAN_ROOT) ? readdirSync(DEBIAN_ROOT) : [];
  const newestFirst = versions
    .filter((v) => /^\d+(\.\d+)?$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => join(DEBIAN_ROOT, v, "bin"));
  for (const bin of newestFirst) {
    if (existsSync(join(bin, "initdb")) && existsSync(join(bin, "postgres"))) return bin;
  }
  // Not Debian's layout: ask pg_config, when there is one.
  try {
    const { stdout } = await run("pg_config", ["--bindir"]);
    const bin = stdout.trim();
    if (existsSync(join(bin, "initdb")) && existsSync(join(bin, "postgres"))) return bin;
  } catch {
    // fall through to the error below
  }
  const where = process.env.CI === "true" ? "CI must provide it" : "the tests need it";
  throw new Error(
    `PostgreSQL server binaries (initdb, postgres) not found under ${DEBIAN_ROOT}/*/bin or pg_config --bindir; ` +
      `${where}. Install it with \`apt-get install -y postgresql\` (as root), or run .ci/run.`,
  );
}

class PortInUseError extends Error {}

interface Launch {
  readonly bin: string;
  readonly asRoot: boolean;
  readonly dir: string;
  readonly data: string;
  readonly sockets: string;
  readonly port: number;
}

interface Server {
  readonly child: ChildProcess;
  /** Resolves when the child has exited. */
  readonly exited: Promise<void>;
  /** The postmaster's pid (the child is the watchdog shell, under runuser as root). */
  readonly pid: number;
  readonly log: string;
}

async function launch(l: Launch): Promise<Server> {
  const log = join(l.dir, `postgres-${l.port}.log`);
  const fd = openSync(log, "a");
  const args = [
    "-D",
    l.data,
    "-p",
    String(l.port),
    "-c",
    "listen_addresses=127.0.0.1",
    "-c",
    `unix_socket_directories=${l.sockets}`,
    "-c",
    "fsync=off",
    "-c",
    "synchronous_commit=off",
    "-c",
    "full_page_writes=off",
    "-c",
    "max_connections=300",
  ];
  const [command, argv] = userCommand(l.asRoot, "/bin/sh", [
    "-c",
    WATCHDOG,
    "sh",
    join(l.bin, "postgres"),
    ...args,
  ]);
  // The log goes to a file, not a pipe: a pipe nobody drains would eventually block the server.
  // stdin is a pipe that only this process holds: see WATCHDOG.
  const child = spawn(command, argv, { stdio: ["pipe", fd, fd], cwd: l.dir });
  closeSync(fd);
  child.stdin?.on("error", () => {}); // EPIPE once the shell is gone
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let exitedEarly = false;
  void exited.then(() => {
    exitedEarly = true;
    child.stdin?.end(); // lets the watchdog's reader go too
  });

  const adminUrl = `postgres://${SUPERUSER}@127.0.0.1:${l.port}/postgres`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (exitedEarly) {
      const text = await readFile(log, "utf8").catch(() => "");
      if (/could not bind|Address already in use/i.test(text)) throw new PortInUseError(text);
      throw new Error(`postgres exited during start (exit code ${child.exitCode}):\n${tail(text)}`);
    }
    if (await accepts(adminUrl)) break;
    if (Date.now() > deadline) {
      await killAndWait({ child, exited, pid: postmasterPid(l.data) ?? child.pid ?? 0, log });
      const text = await readFile(log, "utf8").catch(() => "");
      throw new Error(`postgres did not accept connections within ${START_TIMEOUT_MS} ms:\n${tail(text)}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const pid = postmasterPid(l.data);
  if (pid === undefined)
    throw new Error(`postgres accepts connections but wrote no ${l.data}/postmaster.pid`);
  return { child, exited, pid, log };
}

async function cluster(
  server: Server,
  dir: string,
  port: number,
  database: string,
): Promise<PostgresCluster> {
  const adminUrl = `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`;
  // If the process ends without stop() (a crash, Ctrl-C), do not leave a server or its files behind.
  const onExit = (): void => {
    try {
      process.kill(server.pid, "SIGKILL");
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", onExit);
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      process.off("exit", onExit);
      await killAndWait(server);
      await rm(dir, { recursive: true, force: true });
    })();
    return stopping;
  };
  try {
    const url = await createDatabase(adminUrl, database);
    return { url, adminUrl, dir, createDatabase: (name) => createDatabase(adminUrl, name), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Fast shutdown (SIGINT to the postmaster: sessions end, no waiting for clients), then wait for exit. */
async function killAndWait(server: Server): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const signal = (s: NodeJS.Signals): void => {
    try {
      process.kill(server.pid, s);
    } catch {
      // already gone
    }
  };
  server.child.stdin?.end();
  signal("SIGINT");
  const timer = setTimeout(() => {
    signal("SIGKILL");
    server.child.kill("SIGKILL");
  }, STOP_TIMEOUT_MS);
  await server.exited;
  clearTimeout(timer);
}

function postmasterPid(data: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(data, "postmaster.pid"), "utf8").split("\n")[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

async function accepts(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

function userCommand(asRoot: boolean, program: string, args: string[]): [string, string[]] {
  return asRoot ? ["runuser", ["-u", OS_USER, "--", program, ...args]] : [program, args];
}

async function asUser(asRoot: boolean, program: string, args: string[], cwd: string): Promise<void> {
  const [command, argv] = userCommand(asRoot, program, args);
  try {
    await run(command, argv, { cwd });
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`${program} failed: ${e.stderr?.trim() || e.message}`, { cause: error });
  }
}

async function osUser(name: string): Promise<{ uid: number; gid: number }> {
  try {
    const [uid, gid] = await Promise.all([run("id", ["-u", name]), run("id", ["-g", name])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch (cause) {
    throw new Error(
      `no OS user "${name}" to run PostgreSQL as (initdb refuses root); install the postgresql package`,
      { cause },
    );
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function checkDatabaseName(name: string): string {
  // Interpolated into CREATE DATABASE: only plain lower-case identifiers.
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`not a plain database name: ${name}`);
  return name;
}

function tail(text: string, lines = 30): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}
