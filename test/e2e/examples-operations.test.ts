import { type ChildProcess, execFile, spawn } from "node:child_process";
import { lstat, mkdir, readdir, readFile, readlink, symlink, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, it } from "vitest";
import { opsdojo } from "../support/opsdojo-process.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";
import { snapshotTree, treeDifferences } from "../support/tree-snapshot.ts";

// Each example of examples/operations/ run as its README says: its sandbox made by sandbox.mjs,
// the operation file run by the real `opsdojo` command, real files and real HTTP servers on
// loopback. Only the ports of roll-config.yaml change, to ports the OS gave the instances.

const EXAMPLES = fileURLToPath(new URL("../../examples/operations/", import.meta.url));
const example = (name: string) => join(EXAMPLES, name);

const servers = new Set<ChildProcess>();

afterAll(async () => {
  await Promise.all([...servers].map(stop));
  await removeTempDirs();
});

interface RunJson {
  id: string;
  status: string;
  targets: Array<{
    name: string;
    status: string;
    failure?: { step: string; check?: { name: string; observed: string } };
  }>;
  unrestored: unknown[];
  failure?: { target: string; step: string; check?: { name: string; expected: string; observed: string } };
}

/** `opsdojo run FILE --json …`: the exit code and the parsed result. */
async function run(home: string, file: string, params: Record<string, string | number>) {
  const args = ["run", file, "--json"];
  for (const [k, v] of Object.entries(params)) args.push("--param", `${k}=${v}`);
  const result = await opsdojo(home, args);
  let json: RunJson | undefined;
  try {
    json = JSON.parse(result.stdout) as RunJson;
  } catch {
    throw new Error(`opsdojo run printed no JSON (exit ${result.code}): ${result.stderr}`);
  }
  return { code: result.code, json, stderr: result.stderr };
}

async function sandbox(...args: string[]): Promise<void> {
  await promisify(execFile)(process.execPath, [example("sandbox.mjs"), ...args]);
}

const modeOf = async (path: string) => ((await lstat(path)).mode & 0o7777).toString(8);

/** One instance of examples/operations/app/server.mjs on a port the OS picks. */
async function startInstance(
  dir: string,
  maxWorkers: number,
): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [example("app/server.mjs"), "--dir", dir, "--port", "0", "--max-workers", String(maxWorkers)],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  servers.add(child);
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code) => reject(new Error(`server.mjs for ${dir} exited with ${code}`))),
  );
  const lines = createInterface({ input: child.stdout as NonNullable<typeof child.stdout> });
  const first = new Promise<string>((resolve) => lines.once("line", resolve));
  const line = await Promise.race([first, exited]);
  return { port: (JSON.parse(line) as { port: number }).port, child };
}

async function stop(child: ChildProcess): Promise<void> {
  servers.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

async function health(port: number): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`http://127.0.0.1:${port}/health`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The rollout sandbox with its three instances running, and roll-config.yaml pointed at them. */
async function rollout() {
  const dir = await tempDir();
  const root = join(dir, "rollout");
  await sandbox("rollout", root, "--no-start");
  const instances = [
    await startInstance(join(root, "app-1"), 8),
    await startInstance(join(root, "app-2"), 8),
    await startInstance(join(root, "app-3"), 2),
  ];
  const ports = instances.map((i) => i.port);
  let text = await readFile(example("roll-config.yaml"), "utf8");
  for (const [i, port] of ports.entries()) {
    const fixed = `port: ${18081 + i} }`;
    if (text.split(fixed).length !== 2) throw new Error(`roll-config.yaml should say "${fixed}" once`);
    text = text.replace(fixed, `port: ${port} }`);
  }
  const file = join(dir, "roll-config.yaml");
  await writeFile(file, text);
  return { home: dir, root, ports, file, instances };
}

// Generous: a loaded machine may take seconds per command; nothing here waits for time to pass
// except the examples' own `within` on a failing check (5 s each).
describe.concurrent("examples/operations", { timeout: 300_000 }, () => {
  it("roll-config.yaml: app-3 stays unhealthy, so all three get their app.conf back byte for byte (exit 1)", async ({
    expect,
  }) => {
    const { home, root, ports, file } = await rollout();
    const before = await snapshotTree(root);

    const { code, json, stderr } = await run(home, file, { root });

    expect(code, stderr).toBe(1);
    expect(json.status).toBe("rolled_back");
    expect(json.unrestored).toEqual([]);
    expect(json.targets.map((t) => [t.name, t.status])).toEqual([
      ["app-1", "rolled_back"],
      ["app-2", "rolled_back"],
      ["app-3", "rolled_back"],
    ]);
    expect(json.failure).toMatchObject({
      target: "app-3",
      step: "write-config",
      // Not `observed`: the last attempt of a `within` check gets only what is left of it (at
      // least 100 ms), so on a loaded machine it may see a timeout instead of the 503.
      check: { name: "healthy-with-new-config", expected: expect.stringContaining(`:${ports[2]}/health`) },
    });
    expect(treeDifferences(before, await snapshotTree(root))).toEqual([]);
    expect(await modeOf(join(root, "app-3", "app.conf"))).toBe("640");
    for (const port of ports) {
      expect(await health(port)).toMatchObject({ status: 200, body: { release: "1.4.2", status: "pass" } });
    }
    // The order of what happened: app-1 and app-2 took the config, app-3 failed its check, then
    // the rollback undid app-3, app-2 and app-1, newest first.
    const events = JSON.parse((await opsdojo(home, ["runs", "events", json.id, "--json"])).stdout) as {
      items: Array<{ type: string; data: { target?: string } }>;
    };
    const seen = events.items
      .filter((e) => ["step.succeeded", "check.failed", "step.undone"].includes(e.type))
      .map((e) => `${e.type} ${e.data.target}`);
    expect(seen).toEqual([
      "step.succeeded app-1",
      "step.succeeded app-2",
      "step.succeeded app-3",
      "check.failed app-3",
      "step.undone app-3",
      "step.undone app-2",
      "step.undone app-1",
    ]);
    expect(events.items.at(-1)?.type).toBe("run.rolled_back");

    // `runs export --help` shows this run's export as an example: it must find it.
    const help = (await opsdojo(home, ["runs", "export", "--help"])).stdout;
    const example = /opsdojo runs export (--operation \S+ --status \S+ --format csv)/.exec(help)?.[1];
    expect(example).toBeDefined();
    const exported = await opsdojo(home, ["runs", "export", ...(example ?? "").split(" ")]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toBe("");
    expect(exported.stdout).toContain(`${json.id}/app-3,`);
  });

  it("roll-config.yaml: with workers=2 every instance is healthy on the new config (exit 0); with app-2 down the next run is refused (exit 3)", async ({
    expect,
  }) => {
    const { home, root, ports, file, instances } = await rollout();

    const { code, json, stderr } = await run(home, file, { root, workers: 2, release: "1.6.0" });

    expect(code, stderr).toBe(0);
    expect(json.status).toBe("succeeded");
    for (const [i, port] of ports.entries()) {
      const app = `app-${i + 1}`;
      expect(await readFile(join(root, app, "app.conf"), "utf8")).toBe(
        `# ${app}, written by opsdojo run ${json.id}\nrelease=1.6.0\nworkers=2\n`,
      );
      expect(await modeOf(join(root, app, "app.conf"))).toBe("640");
      expect(await health(port)).toMatchObject({ status: 200, body: { release: "1.6.0", workers: 2 } });
    }

    // The steady state is checked before anything is touched: with app-2 down, nothing runs.
    await stop((instances[1] as { child: ChildProcess }).child);
    const before = await snapshotTree(root);
    const refused = await opsdojo(home, ["run", file, "--param", `root=${root}`, "--param", "release=1.7.0"]);
    expect(refused.code, refused.stderr).toBe(3);
    expect(refused.stderr).toContain("the steady state fails before the run on app-2");
    expect(treeDifferences(before, await snapshotTree(root))).toEqual([]);
  });

  it("clean-releases.yaml: keeps the newest 3, undo brings the rest back byte for byte, commit purges", async ({
    expect,
  }) => {
    const home = await tempDir();
    const root = join(home, "releases");
    await sandbox("releases", root);
    const before = await snapshotTree(root);
    const releases = join(root, "releases");
    const file = example("clean-releases.yaml");

    const first = await run(home, file, { root });
    expect(first.code, first.stderr).toBe(0);
    expect(first.json.status).toBe("succeeded");
    expect((await readdir(releases)).sort()).toEqual([
      ".opsdojo-trash",
      "20261113-0801",
      "20261118-1030",
      "20261124-1705",
    ]);
    // Pseudo-deleted: the three oldest wait, whole, in the trash of this run.
    const trash = join(releases, ".opsdojo-trash", first.json.id);
    const [slot] = await readdir(trash);
    const kept = join(trash, slot as string, `.old-${first.json.id}`);
    expect((await readdir(kept)).sort()).toEqual(["20261102-0915", "20261105-1140", "20261109-1622"]);
    expect(await readFile(join(kept, "20261102-0915", "REVISION"), "utf8")).toBe("20261102-0915\n");

    const undo = await opsdojo(home, ["runs", "undo", first.json.id, "--json"]);
    expect(undo.code, undo.stderr).toBe(0);
    expect(JSON.parse(undo.stdout)).toMatchObject({ status: "rolled_back", unrestored: [] });
    expect(treeDifferences(before, await snapshotTree(root))).toEqual([]);

    // The app was rolled back to an older release: that one is kept whatever its age.
    await unlink(join(root, "current"));
    await symlink("releases/20261109-1622", join(root, "current"));
    const second = await run(home, file, { root, keep: 2 });
    expect(second.code, second.stderr).toBe(0);
    const commit = await opsdojo(home, ["runs", "commit", second.json.id, "--json"]);
    expect(commit.code, commit.stderr).toBe(0);
    expect(JSON.parse(commit.stdout)).toMatchObject({ id: second.json.id, status: "committed" });
    expect((await readdir(releases)).sort()).toEqual(["20261109-1622", "20261118-1030", "20261124-1705"]);
    expect(await readFile(join(root, "current", "REVISION"), "utf8")).toBe("20261109-1622\n");
  });

  it("switch-release.yaml: green fails its self-test, so current, the mode and active.env are as before (exit 1)", async ({
    expect,
  }) => {
    const home = await tempDir();
    const root = join(home, "bluegreen");
    await sandbox("bluegreen", root);
    const before = await snapshotTree(root);

    const { code, json, stderr } = await run(home, example("switch-release.yaml"), { root });

    expect(code, stderr).toBe(1);
    expect(json.status).toBe("rolled_back");
    expect(json.failure).toMatchObject({
      step: "smoke-test",
      check: { name: "new-release-selftest", expected: expect.stringContaining('"release green"') },
    });
    expect(treeDifferences(before, await snapshotTree(root))).toEqual([]);
    expect(await readlink(join(root, "current"))).toBe("releases/blue");
    expect(await modeOf(join(root, "releases", "green", "bin", "selftest"))).toBe("644");
  });

  it("switch-release.yaml: with its config green goes live (exit 0); runs undo switches back to blue", async ({
    expect,
  }) => {
    const home = await tempDir();
    const root = join(home, "bluegreen");
    await sandbox("bluegreen", root);
    await mkdir(join(root, "releases", "green", "config"));
    await writeFile(
      join(root, "releases", "green", "config", "app.env"),
      "DATABASE_URL=postgres://db/green\n",
    );
    const before = await snapshotTree(root);

    const { code, json, stderr } = await run(home, example("switch-release.yaml"), { root });

    expect(code, stderr).toBe(0);
    expect(json.status).toBe("succeeded");
    expect(await readlink(join(root, "current"))).toBe("releases/green");
    expect(await modeOf(join(root, "releases", "green", "bin", "selftest"))).toBe("755");
    expect(await readFile(join(root, "shared", "active.env"), "utf8")).toBe(
      "# which colour serves traffic\nACTIVE=green\n",
    );

    const undo = await opsdojo(home, ["runs", "undo", json.id, "--json"]);
    expect(undo.code, undo.stderr).toBe(0);
    expect(JSON.parse(undo.stdout)).toMatchObject({ status: "rolled_back", unrestored: [] });
    expect(treeDifferences(before, await snapshotTree(root))).toEqual([]);
  });
});
