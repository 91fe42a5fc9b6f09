#!/usr/bin/env node
// Makes the world the example game days play in, in a directory of your choice
// (default /tmp/opsdojo-gamedays, which the scenarios name):
//
//   node examples/gamedays/world.mjs make  [ROOT]   the files only
//   node examples/gamedays/world.mjs start [ROOT]   the files, and the service on 127.0.0.1:18091
//   node examples/gamedays/world.mjs stop  [ROOT]   stop the service again
//
// ROOT must not exist yet, be empty, or be a world this script made (it leaves a marker file):
// so nothing of yours is ever overwritten, and `start` after `stop` starts the same world again.
// ORDERS_PORT picks another port than 18091 (the scenarios name 18091).
import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { chmod, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const SERVICE = fileURLToPath(new URL("service.mjs", import.meta.url));
const PORT = Number(process.env.ORDERS_PORT ?? 18091);
const MARKER = ".opsdojo-example-world";

class Refused extends Error {}

/** Makes the files, unless ROOT already holds a world made here: then it is kept as it is. */
async function make(root) {
  await mkdir(root, { recursive: true });
  const entries = await readdir(root);
  if (entries.includes(MARKER)) return false;
  if (entries.length > 0)
    throw new Refused(
      `${root} is not empty and was not made by world.mjs; remove it or name another directory`,
    );
  const orders = join(root, "orders");
  await mkdir(join(orders, "data"), { recursive: true });
  await mkdir(join(root, "backups"), { recursive: true });
  await writeFile(
    join(orders, "app.conf"),
    "# orders service\ndb_url=postgres://orders@127.0.0.1/orders\nworkers=4\n",
  );
  await chmod(join(orders, "app.conf"), 0o640);
  // 16 KiB of "orders" on the data volume, and a 2 MiB backup that would not fit on it.
  await writeFile(join(orders, "data", "orders.db"), Buffer.alloc(16 * 1024, "o"));
  await writeFile(join(root, "backups", "orders-full.bak"), Buffer.alloc(2 * 1024 * 1024, "b"));
  // Last, so a make that failed half-way is refused next time rather than taken for a world.
  await writeFile(join(root, MARKER), "made by examples/gamedays/world.mjs\n");
  return true;
}

async function start(root) {
  const made = await make(root);
  if (!made) console.log(`the world in ${root} is already made; starting its service again`);
  const running = await runningPid(root);
  if (running !== undefined)
    throw new Refused(`the orders service of ${root} is already running (pid ${running}); stop it first`);
  const log = openSync(join(root, "service.log"), "a");
  const child = spawn(process.execPath, [SERVICE, "--dir", join(root, "orders"), "--port", String(PORT)], {
    detached: true,
    stdio: ["ignore", log, log],
  });
  closeSync(log);
  await writeFile(join(root, "service.pid"), `${child.pid}\n`);
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  // Bounded generously: a loaded machine may take seconds to start a Node process.
  for (let i = 0; i < 600 && !exited; i++) {
    try {
      const response = await fetch(`http://127.0.0.1:${PORT}/health`);
      console.log(
        `orders service on http://127.0.0.1:${PORT}/health: ${response.status} ${await response.text()}`,
      );
      child.unref();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  if (!exited) child.kill();
  child.unref();
  await rm(join(root, "service.pid"), { force: true });
  throw new Refused(`the service did not start; see ${join(root, "service.log")}`);
}

/** The pid in service.pid (or the one given) if that process still runs. */
async function runningPid(root, known) {
  let pid = known;
  if (pid === undefined) {
    try {
      pid = Number((await readFile(join(root, "service.pid"), "utf8")).trim());
    } catch (error) {
      if (error.code === "ENOENT") return undefined;
      throw error;
    }
  }
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

async function stop(root) {
  const pid = await runningPid(root);
  await rm(join(root, "service.pid"), { force: true });
  if (pid === undefined) {
    console.log(`the orders service of ${root} is not running`);
    return;
  }
  process.kill(pid, "SIGTERM");
  // Wait until it is gone, so that a `start` right after finds the port free.
  for (let i = 0; i < 600 && (await runningPid(root, pid)) !== undefined; i++)
    await new Promise((r) => setTimeout(r, 50));
  console.log(`stopped the orders service (pid ${pid})`);
}

const [command, rootArg] = process.argv.slice(2);
const root = resolve(rootArg ?? "/tmp/opsdojo-gamedays");
const commands = {
  make: async (root) => {
    if (!(await make(root))) console.log(`the world in ${root} is already made; left as it is`);
  },
  start,
  stop,
};
if (!Object.hasOwn(commands, command ?? "")) {
  console.error("usage: world.mjs make|start|stop [ROOT]");
  process.exit(64);
}
try {
  await commands[command](root);
} catch (error) {
  // A refusal or a system error (EACCES, …) is a sentence for the user, not a stack trace.
  console.error(
    `world.mjs ${command}: ${error instanceof Refused ? error.message : String(error.message ?? error)}`,
  );
  process.exit(1);
}
