#!/usr/bin/env node
// Makes the world the example game days play in, in a directory of your choice
// (default /tmp/opsdojo-gamedays, which the scenarios name):
//
//   node examples/gamedays/world.mjs make  [ROOT]   the files only
//   node examples/gamedays/world.mjs start [ROOT]   the files, and the service on 127.0.0.1:18091
//   node examples/gamedays/world.mjs stop  [ROOT]   stop the service again
//
// ROOT must not exist yet or be empty, so nothing of yours is ever overwritten.
import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { chmod, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const SERVICE = fileURLToPath(new URL("service.mjs", import.meta.url));
const PORT = 18091;

async function make(root) {
  await mkdir(root, { recursive: true });
  if ((await readdir(root)).length > 0)
    throw new Error(`${root} is not empty; remove it or name another directory`);
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
}

async function start(root) {
  await make(root);
  const log = openSync(join(root, "service.log"), "a");
  const child = spawn(process.execPath, [SERVICE, "--dir", join(root, "orders"), "--port", String(PORT)], {
    detached: true,
    stdio: ["ignore", log, log],
  });
  child.unref();
  closeSync(log);
  await writeFile(join(root, "service.pid"), `${child.pid}\n`);
  for (let i = 0; i < 50; i++) {
    try {
      const response = await fetch(`http://127.0.0.1:${PORT}/health`);
      console.log(
        `orders service on http://127.0.0.1:${PORT}/health: ${response.status} ${await response.text()}`,
      );
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`the service did not start; see ${join(root, "service.log")}`);
}

async function stop(root) {
  const pid = Number((await readFile(join(root, "service.pid"), "utf8")).trim());
  process.kill(pid, "SIGTERM");
  console.log(`stopped the orders service (pid ${pid})`);
}

const [command, rootArg] = process.argv.slice(2);
const root = resolve(rootArg ?? "/tmp/opsdojo-gamedays");
const commands = { make, start, stop };
if (!Object.hasOwn(commands, command ?? "")) {
  console.error("usage: world.mjs make|start|stop [ROOT]");
  process.exit(64);
}
await commands[command](root);
