#!/usr/bin/env node
// Makes the little world each example operation works on, in a directory of your choice
// (default /tmp/opsdojo-examples/<example>, the operations' default `root`):
//
//   node examples/operations/sandbox.mjs rollout   [ROOT] [--no-start]  three app instances on 18081-18083
//   node examples/operations/sandbox.mjs stop      [ROOT]               stop them again
//   node examples/operations/sandbox.mjs releases  [ROOT]               six release folders and `current`
//   node examples/operations/sandbox.mjs bluegreen [ROOT]               releases blue and green, `current -> blue`
//
// ROOT must not exist yet or be empty, so nothing of yours is ever overwritten.
import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { chmod, mkdir, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const SERVER = fileURLToPath(new URL("app/server.mjs", import.meta.url));
const DEFAULT_ROOT = "/tmp/opsdojo-examples";

/** The fleet of roll-config.yaml: app-3 is a smaller machine that runs at most 2 workers. */
const FLEET = [
  { name: "app-1", port: 18081, maxWorkers: 8 },
  { name: "app-2", port: 18082, maxWorkers: 8 },
  { name: "app-3", port: 18083, maxWorkers: 2 },
];

/** Release folders of clean-releases.yaml, named by their build time (oldest first). */
const RELEASES = [
  "20261102-0915",
  "20261105-1140",
  "20261109-1622",
  "20261113-0801",
  "20261118-1030",
  "20261124-1705",
];

async function emptyRoot(root) {
  await mkdir(root, { recursive: true });
  if ((await readdir(root)).length > 0) {
    throw new Error(`${root} is not empty; remove it or name another directory`);
  }
}

async function file(path, content, mode) {
  await mkdir(join(path, ".."), { recursive: true });
  await writeFile(path, content);
  await chmod(path, mode); // explicitly: the umask must not decide what the examples show
}

async function rolloutFiles(root) {
  await emptyRoot(root);
  for (const app of FLEET) {
    // 0640: the rollback must bring back the mode as well as the bytes.
    await file(join(root, app.name, "app.conf"), `# ${app.name}\nrelease=1.4.2\nworkers=2\n`, 0o640);
  }
}

async function answers(port) {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1000) });
    return `${response.status} ${await response.text()}`;
  } catch {
    return undefined;
  }
}

async function startFleet(root) {
  await mkdir(join(root, "logs"), { recursive: true });
  for (const app of FLEET) {
    const log = openSync(join(root, "logs", `${app.name}.log`), "a");
    const child = spawn(
      process.execPath,
      [
        SERVER,
        "--dir",
        join(root, app.name),
        "--port",
        String(app.port),
        "--max-workers",
        String(app.maxWorkers),
      ],
      { detached: true, stdio: ["ignore", log, log] },
    );
    closeSync(log);
    await writeFile(join(root, "logs", `${app.name}.pid`), `${child.pid}\n`);
    child.unref();
    let seen;
    for (let i = 0; i < 100 && seen === undefined && child.exitCode === null; i++) {
      await new Promise((r) => setTimeout(r, 100));
      seen = await answers(app.port);
    }
    if (seen === undefined) {
      const why = await readFile(join(root, "logs", `${app.name}.log`), "utf8");
      throw new Error(`${app.name} did not start on port ${app.port}:\n${why}`);
    }
    console.log(`${app.name}: http://127.0.0.1:${app.port}/health → ${seen}`);
  }
}

async function stopFleet(root) {
  for (const app of FLEET) {
    const pidFile = join(root, "logs", `${app.name}.pid`);
    const pid = Number((await readFile(pidFile, "utf8").catch(() => "")).trim());
    if (!pid) continue;
    try {
      process.kill(pid, "SIGTERM");
      console.log(`${app.name}: stopped (pid ${pid})`);
    } catch {
      console.log(`${app.name}: not running`);
    }
  }
}

async function releasesFiles(root) {
  await emptyRoot(root);
  for (const release of RELEASES) {
    await file(join(root, "releases", release, "REVISION"), `${release}\n`, 0o644);
    await file(join(root, "releases", release, "bin", "app"), `#!/bin/sh\necho "app ${release}"\n`, 0o755);
  }
  await symlink(`releases/${RELEASES.at(-1)}`, join(root, "current"));
}

const SELFTEST = `#!/bin/sh
# A release's self-test: run from anywhere, it checks the release it belongs to.
cd "$(dirname "$0")/.." || exit 1
if [ ! -f config/app.env ]; then echo "selftest: config/app.env is missing" >&2; exit 1; fi
if ! grep -q '^DATABASE_URL=' config/app.env; then echo "selftest: DATABASE_URL is not set" >&2; exit 1; fi
echo "selftest ok: release $(cat REVISION)"
`;

async function bluegreenFiles(root) {
  await emptyRoot(root);
  for (const color of ["blue", "green"]) {
    const release = join(root, "releases", color);
    await file(join(release, "REVISION"), `${color}\n`, 0o644);
    // green came out of a zip that lost the execute bit; the operation sets it again.
    await file(join(release, "bin", "selftest"), SELFTEST, color === "blue" ? 0o755 : 0o644);
  }
  // green's artifact also lacks its config: the self-test fails until it is there.
  await file(join(root, "releases", "blue", "config", "app.env"), "DATABASE_URL=postgres://db/blue\n", 0o600);
  await file(join(root, "shared", "active.env"), "# which colour serves traffic\nACTIVE=blue\n", 0o640);
  await symlink("releases/blue", join(root, "current"));
}

async function main(argv) {
  const [command, rootArg, ...flags] = argv;
  const root = (name) => resolve(rootArg && !rootArg.startsWith("--") ? rootArg : join(DEFAULT_ROOT, name));
  switch (command) {
    case "rollout": {
      const dir = root("rollout");
      await rolloutFiles(dir);
      if (!flags.includes("--no-start") && rootArg !== "--no-start") await startFleet(dir);
      console.log(`rollout sandbox in ${dir}; stop the instances with: node ${process.argv[1]} stop ${dir}`);
      return;
    }
    case "stop":
      await stopFleet(root("rollout"));
      return;
    case "releases":
      await releasesFiles(root("releases"));
      console.log(`releases sandbox in ${root("releases")}`);
      return;
    case "bluegreen":
      await bluegreenFiles(root("bluegreen"));
      console.log(`bluegreen sandbox in ${root("bluegreen")}`);
      return;
    default:
      console.error("usage: sandbox.mjs rollout|stop|releases|bluegreen [ROOT] [--no-start]");
      process.exitCode = 64;
  }
}

main(process.argv.slice(2)).catch((error) => {
  console.error(`sandbox: ${error.message}`);
  process.exitCode = 1;
});
