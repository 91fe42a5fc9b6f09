import { chmod, mkdir, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { livingWith, uniqueSleep } from "../../../test/support/processes.ts";
import { type SshFleet, startSshFleet } from "../../../test/support/sshd.ts";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { snapshotTree, type TreeSnapshot, treeDifferences } from "../../../test/support/tree-snapshot.ts";
import { until } from "../../../test/support/until.ts";
import { ManualClock } from "../../core/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { registerOperation } from "../catalogue.ts";
import { runCheck } from "../checks/index.ts";
import { commitRunById, resumeRunById, runOperation, undoRunById } from "../engine/index.ts";
import { Journal } from "../journal/index.ts";
import { fileSystemContract } from "./file-system.contract.ts";
import { type FileSystem, HostSessions, localFs } from "./index.ts";

/**
 * The engine on targets over SSH, against four real sshd on loopback (host4 only through
 * host1, its bastion): the same file actions, shell.run and checks as locally, the same undo.
 */
let fleet: SshFleet;
const stores: Store[] = [];

beforeAll(async () => {
  fleet = await startSshFleet(4);
}, 120_000);
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
  // A test that stopped a host gives it back to the next.
  await Promise.all(fleet.hosts.map((h) => h.start()));
});
afterAll(async () => {
  await fleet?.stop();
  await removeTempDirs();
});

/** Each host's own tree for one test, under its base directory. */
async function buildTrees(name: string): Promise<string[]> {
  const dirs: string[] = [];
  for (const [i, host] of fleet.hosts.entries()) {
    const dir = join(host.base, name);
    await mkdir(join(dir, "cache", "a"), { recursive: true });
    await mkdir(join(dir, "releases", "v1"), { recursive: true });
    await mkdir(join(dir, "releases", "v2"));
    await writeFile(join(dir, "app.conf"), `release=old-${i}\n`, { mode: 0o640 });
    await writeFile(join(dir, "settings.ini"), `colour=blue\nport=80${i}\n`);
    await writeFile(join(dir, "run.sh"), "#!/bin/sh\necho hi\n", { mode: 0o755 });
    await writeFile(join(dir, "cache", "a", "blob.bin"), Buffer.from([0, 1, 255, i]), { mode: 0o600 });
    await symlink("/", join(dir, "cache", "to-root"));
    await symlink("releases/v1", join(dir, "current"));
    await writeFile(join(dir, "releases", "v1", "lib.js"), `export const n = ${i};\n`);
    await chmod(join(dir, "cache", "a"), 0o750);
    dirs.push(dir);
  }
  return dirs;
}

function targetsYaml(dirs: readonly string[]): string {
  return fleet.hosts
    .map((h, i) => {
      // host4 is reached only through host1 (a ProxyJump to another target by name).
      const jump = i === 3 ? ", jump: host1" : "";
      return `  - { name: ${h.name}, host: 127.0.0.1, port: ${h.port}, user: ${fleet.user}, identity_file: "${fleet.identityFile}"${jump}, vars: { dir: "${dirs[i]}", sshd: ${h.port} } }`;
    })
    .join("\n");
}

const ROLLOUT_STEPS = `
  - name: conf-dir
    uses: file.mkdir
    with: { path: "\${target.dir}/conf.d/app", parents: true, mode: "0750" }
  - name: write-conf
    uses: file.write
    with: { path: "\${target.dir}/app.conf", content: "release=\${params.release}\\n", mode: "0600" }
    post:
      - file: { path: "\${target.dir}/app.conf", contains: "release=\${params.release}" }
  - name: recolour
    uses: file.replace
    with: { path: "\${target.dir}/settings.ini", find: blue, replace: green }
  - name: lock-script
    uses: file.chmod
    with: { path: "\${target.dir}/run.sh", mode: "0700" }
  - name: drop-cache
    uses: file.delete
    with: { path: "\${target.dir}/cache", recursive: true }
  - name: switch
    uses: file.symlink
    with: { target: releases/v2, path: "\${target.dir}/current" }
  - name: keep-copy
    uses: file.copy
    with: { from: "\${target.dir}/releases", to: "\${target.dir}/releases.bak" }
  - name: stamp
    uses: shell.run
    with: { command: "echo \\"$SSH_CONNECTION\\" > stamp; cat stamp", cwd: "\${target.dir}" }
    undo: { uses: file.delete, with: { path: "\${target.dir}/stamp" } }
    post:
      - command: { run: "test -s stamp", cwd: "\${target.dir}" }
      # The same client port: the check came over the connection the step used, not a new one.
      - command: { run: "test \\"$(cat stamp)\\" = \\"$SSH_CONNECTION\\"", cwd: "\${target.dir}" }
`;

async function setup(name: string, steps: string, strategy: string, knownHosts = fleet.knownHosts) {
  const dirs = await buildTrees(name);
  const store = await openStore({ home: await tempDir() });
  stores.push(store);
  const source = `opsdojo: operation/v1
name: fleet-${name}
params:
  release: { type: string, default: "2.0" }
strategy: ${strategy}
targets:
${targetsYaml(dirs)}
steps:${steps}`;
  const clock = new ManualClock("2026-12-05T02:00:00Z");
  // Registered, as the CLI does: commit reads the targets back from the run's operation.
  const registered = await registerOperation(store, clock, source, `${name}.yaml`);
  const operation = registered.operation;
  const options = {
    store,
    clock,
    leaseMs: 60_000,
    remote: { knownHostsFile: knownHosts, agent: "" },
  };
  const input = { operation, operationId: registered.id, params: { release: "2.0" } };
  const before: TreeSnapshot[] = [];
  for (const dir of dirs) before.push(await snapshotTree(dir));
  const differences = async () => {
    const out: string[] = [];
    for (const [i, dir] of dirs.entries())
      out.push(
        ...treeDifferences(before[i] as TreeSnapshot, await snapshotTree(dir)).map(
          (d) => `host${i + 1} ${d}`,
        ),
      );
    return out;
  };
  return { dirs, store, options, input, operation, differences };
}

describe("a FileSystem behaves as node:fs", () => {
  it("on this machine", async () => {
    await fileSystemContract(localFs, await tempDir());
  });

  it("on a host over SFTP", async () => {
    const dir = join(fleet.hosts[0]?.base as string, "contract");
    await mkdir(dir);
    const hosts = new HostSessions(
      [
        {
          name: "host1",
          host: "127.0.0.1",
          port: fleet.hosts[0]?.port as number,
          identity_file: fleet.identityFile,
        },
      ],
      {},
      { knownHostsFile: fleet.knownHosts, agent: "" },
    );
    try {
      await fileSystemContract(await (hosts.hostOf("host1")?.fs() as Promise<FileSystem>), dir);
    } finally {
      hosts.close();
    }
  });
});

describe("targets over SSH", () => {
  it("rolls a config out to four hosts (one through a bastion) and undoes it byte for byte", async () => {
    const { dirs, store, options, input, operation, differences } = await setup(
      "rollout",
      ROLLOUT_STEPS,
      "{ batch_size: 2 }",
    );
    const result = await runOperation(input, options);
    expect(result.status, JSON.stringify(result.failure)).toBe("succeeded");
    for (const [i, dir] of dirs.entries()) {
      expect(await readFile(join(dir, "app.conf"), "utf8")).toBe("release=2.0\n");
      expect(await readFile(join(dir, "settings.ini"), "utf8")).toContain("colour=green");
      // The command ran on the host: its session says which sshd it came in through.
      expect(await readFile(join(dir, "stamp"), "utf8")).toMatch(new RegExp(` ${fleet.hosts[i]?.port}\\n$`));
      // Pseudo-deleted into the host's own trash, beside the path.
      expect(await readdir(join(dir, ".opsdojo-trash"))).toHaveLength(1);
    }
    // What was overwritten is in opsdojo's blob store, captured before the act.
    const steps = await new Journal(store, options.clock).steps(result.id);
    const conf = steps.find((s) => s.target === "host4" && s.stepName === "write-conf");
    const blob = (conf?.preState as { before: { blob: string } } | undefined)?.before.blob ?? "";
    expect(Buffer.from((await store.blobs.get(blob)) ?? []).toString()).toBe("release=old-3\n");

    const undone = await undoRunById(result.id, { operation, params: input.params }, options);
    expect(undone).toMatchObject({ status: "rolled_back", unrestored: [] });
    expect(await differences()).toEqual([]);
  }, 120_000);

  it("fails a host it cannot reach as host_unreachable, and max_failures tolerates it", async () => {
    const { dirs, options, input, differences } = await setup(
      "down",
      ROLLOUT_STEPS,
      "{ batch_size: 4, max_failures: 1 }",
    );
    await fleet.hosts[1]?.stop();
    const result = await runOperation(input, options);
    expect(result.status).toBe("failed");
    const down = result.targets.find((t) => t.name === "host2");
    expect(down?.failure).toMatchObject({ kind: "action", code: "host_unreachable", retryable: true });
    expect(down?.failure?.message).toContain("host2");
    expect(result.targets.filter((t) => t.status === "succeeded").map((t) => t.name)).toEqual([
      "host1",
      "host3",
      "host4",
    ]);
    expect(await readFile(join(dirs[0] as string, "app.conf"), "utf8")).toBe("release=2.0\n");
    expect((await differences()).filter((d) => d.startsWith("host2 "))).toEqual([]);
  }, 120_000);

  it("a host lost mid-run fails its target; undo lists it unrestored until it is back", async () => {
    const hold = `
  - name: write-conf
    uses: file.write
    with: { path: "\${target.dir}/app.conf", content: "release=\${params.release}\\n" }
  - name: hold
    uses: shell.run
    with: { command: "touch waiting; while [ ! -e go ]; do sleep 0.05; done", cwd: "\${target.dir}" }
    undo: { uses: file.delete, with: { path: "\${target.dir}/waiting" } }
  - name: after
    uses: file.write
    with: { path: "\${target.dir}/after", content: "x" }
`;
    const { dirs, options, input, operation, differences } = await setup(
      "lost",
      hold,
      "{ batch_size: 4, max_failures: 0 }",
    );
    const running = runOperation(input, options);
    const waiting = async () => {
      for (const dir of dirs) if (!(await readdir(dir)).includes("waiting")) return false;
      return true;
    };
    await until(waiting, "every host to reach the hold step", { timeoutMs: 60_000 });
    await fleet.hosts[1]?.stop();
    for (const [i, dir] of dirs.entries()) if (i !== 1) await writeFile(join(dir, "go"), "");
    const result = await running;
    expect(result.status).toBe("rollback_incomplete");
    expect(result.targets.find((t) => t.name === "host2")?.failure).toMatchObject({
      step: "hold",
      code: "host_unreachable",
    });
    expect(result.unrestored.map((u) => `${u.target}/${u.step}`)).toEqual(["host2/hold", "host2/write-conf"]);
    expect(result.unrestored[1]?.reason).toContain("cannot reach host2");

    // Still away: still unrestored, and nothing else is touched again.
    const again = await undoRunById(result.id, { operation, params: input.params }, options);
    expect(again.unrestored.map((u) => u.target)).toEqual(["host2", "host2"]);

    await fleet.hosts[1]?.start();
    for (const dir of dirs) await rm(join(dir, "go"), { force: true });
    const back = await undoRunById(result.id, { operation, params: input.params }, options);
    expect(back).toMatchObject({ status: "rolled_back", unrestored: [] });
    expect(await differences()).toEqual([]);
  }, 120_000);

  it("refuses a host whose key known_hosts does not have, saying what to do", async () => {
    const empty = join(await tempDir(), "known_hosts");
    await writeFile(empty, "");
    const { options, input, differences } = await setup("unknown", ROLLOUT_STEPS, "{ batch_size: 4 }", empty);
    const result = await runOperation(input, options);
    expect(result.status).toBe("rolled_back");
    const failure = result.targets.find((t) => t.failure)?.failure;
    expect(failure).toMatchObject({ code: "host_key_unknown", phase: "prepare" });
    expect(failure?.message).toMatch(/host\d is not in .*known_hosts/);
    expect(failure?.message).toContain("--accept-new-host-keys");
    expect(await differences()).toEqual([]);
  }, 120_000);

  it("runs checks on the host, and http/tcp checks from it with from: target", async () => {
    let requests = 0;
    const server = createServer((_req, res) => {
      requests++;
      res.end("service ok");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const checks = `
  - name: look
    uses: noop
    post:
      - http: { url: "http://127.0.0.1:${port}/health", from: target, body_contains: "ok" }
      - tcp: { host: 127.0.0.1, port: ${port}, from: target }
      - file: { path: "\${target.dir}/app.conf", contains: "release=old" }
      - command: { run: "echo $SSH_CONNECTION", stdout_contains: " \${target.sshd}" }
`;
      const { options, input, operation } = await setup("checks", checks, "{ batch_size: 4 }");
      const result = await runOperation(input, options);
      expect(result.status, JSON.stringify(result.failure)).toBe("succeeded");
      expect(requests).toBe(4);

      // The same checks when the host cannot be reached: from the target they fail, saying why;
      // from opsdojo the service still answers.
      await fleet.hosts[2]?.stop();
      const hosts = new HostSessions(operation.targets ?? [], {}, options.remote);
      try {
        const host = hosts.hostOf("host3");
        const url = `http://127.0.0.1:${port}/health`;
        const fromTarget = await runCheck({ kind: "http", url, from: "target" }, host ? { host } : {});
        expect(fromTarget.ok).toBe(false);
        expect(fromTarget.observed).toContain("cannot reach host3");
        expect((await runCheck({ kind: "http", url }, host ? { host } : {})).ok).toBe(true);
        const file = await runCheck({ kind: "file", path: "/etc/hostname" }, host ? { host } : {});
        expect(file).toMatchObject({ ok: false });
        expect(file.observed).toContain("cannot reach host3");
      } finally {
        hosts.close();
      }
    } finally {
      server.close();
    }
  }, 120_000);

  it("undo on a host settles what someone changed since as locally: refuse, then restore keeps it aside there", async () => {
    const write = `
  - name: write-conf
    uses: file.write
    with: { path: "\${target.dir}/app.conf", content: "release=\${params.release}\\n" }
`;
    const { dirs, options, input, operation, differences } = await setup(
      "conflict",
      write,
      "{ batch_size: 4 }",
    );
    const result = await runOperation(input, options);
    expect(result.status).toBe("succeeded");
    const conf = join(dirs[3] as string, "app.conf");
    await writeFile(conf, "release=hand-edited\n");

    const refused = await undoRunById(result.id, { operation, params: input.params }, options);
    expect(refused.status).toBe("rollback_incomplete");
    expect(refused.unrestored.map((u) => u.target)).toEqual(["host4"]);
    expect(refused.unrestored[0]?.conflicts?.[0]?.resource).toBe(`file ${conf}`);
    expect(await readFile(conf, "utf8")).toBe("release=hand-edited\n");

    const restored = await undoRunById(
      result.id,
      { operation, params: input.params },
      { ...options, onConflict: "restore" },
    );
    expect(restored).toMatchObject({ status: "rolled_back", unrestored: [] });
    // The hand edit is kept aside on the host, in the run's kept/ area beside the file.
    const kept = (await differences()).filter((d) => d.includes(".opsdojo-trash"));
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.every((d) => d.startsWith("host4 + .opsdojo-trash"))).toBe(true);
    expect((await differences()).filter((d) => !d.includes(".opsdojo-trash"))).toEqual([]);
  }, 120_000);

  it("kills a command on the host when its step times out", async () => {
    const marker = uniqueSleep();
    const slow = `
  - name: slow
    uses: shell.run
    timeout: 1s
    with: { command: "${marker} & wait" }
    undo: { uses: noop }
`;
    const { options, input } = await setup("timeout", slow, "{ batch_size: 4 }");
    const result = await runOperation(input, options);
    expect(result.status).toBe("rolled_back");
    expect(result.failure).toMatchObject({ kind: "timeout", phase: "act" });
    await until(async () => (await livingWith(marker)).length === 0, "the hosts' sleeps to be killed");
  }, 120_000);

  it("runs commit purges what a run moved aside on each host", async () => {
    const drop = `
  - name: drop-cache
    uses: file.delete
    with: { path: "\${target.dir}/cache", recursive: true }
`;
    const { dirs, options, input } = await setup("commit", drop, "{ batch_size: 4 }");
    const result = await runOperation(input, options);
    expect(result.status).toBe("succeeded");
    for (const dir of dirs) expect(await readdir(dir)).toContain(".opsdojo-trash");
    // Over SSH, not through this machine's file system: with a host away, commit cannot finish.
    await fleet.hosts[2]?.stop();
    await expect(commitRunById(result.id, options)).rejects.toMatchObject({ code: "host_unreachable" });
    expect(await readdir(dirs[2] as string)).toContain(".opsdojo-trash");
    await fleet.hosts[2]?.start();
    expect(await commitRunById(result.id, options)).toEqual({ id: result.id, committed: 4 });
    for (const dir of dirs) expect(await readdir(dir)).not.toContain(".opsdojo-trash");
  }, 120_000);

  it("pauses on a host that is away and, once it is back, resumes where it stopped", async () => {
    const { dirs, options, input, operation } = await setup(
      "resume",
      ROLLOUT_STEPS,
      "{ batch_size: 4, on_failure: pause }",
    );
    await fleet.hosts[1]?.stop();
    const paused = await runOperation(input, options);
    expect(paused.status).toBe("paused");
    expect(paused.failure).toMatchObject({ target: "host2", code: "host_unreachable" });
    await fleet.hosts[1]?.start();
    const resumed = await resumeRunById(paused.id, { operation, params: input.params }, options);
    expect(resumed.status, JSON.stringify(resumed.failure)).toBe("succeeded");
    for (const dir of dirs) expect(await readFile(join(dir, "app.conf"), "utf8")).toBe("release=2.0\n");
  }, 120_000);
});
