import { spawn } from "node:child_process";
import { chmod, mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, cleanEnv, opsdojo } from "../support/opsdojo-process.ts";
import { type SshFleet, startSshFleet } from "../support/sshd.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";
import { snapshotTree, type TreeSnapshot, treeDifferences } from "../support/tree-snapshot.ts";
import { until } from "../support/until.ts";

/**
 * `opsdojo run --inventory` on a fleet of four real sshd (host4 behind host1), SIGKILLed at
 * seeded points of a config rollout, then `runs undo`: every host's tree byte for byte.
 */
let fleet: SshFleet;
beforeAll(async () => {
  fleet = await startSshFleet(4);
}, 120_000);
afterAll(async () => {
  await fleet?.stop();
  await removeTempDirs();
});

const SEEDS = [5, 17, 29, 43];
/** Kills land this long at most after the first change; the last batch then still holds. */
const MAX_KILL_DELAY_MS = 1400;
const PAUSE_MS = 100;

function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function buildTree(dir: string, i: number): Promise<void> {
  await mkdir(join(dir, "cache", "a"), { recursive: true });
  await mkdir(join(dir, "releases", "v1"), { recursive: true });
  await mkdir(join(dir, "releases", "v2"));
  await writeFile(join(dir, "app.conf"), `release=old-${i}\n`, { mode: 0o644 });
  await writeFile(join(dir, "settings.ini"), `colour=blue\nport=80${i}\n`, { mode: 0o640 });
  await writeFile(join(dir, "run.sh"), "#!/bin/sh\necho hi\n", { mode: 0o755 });
  await writeFile(join(dir, "cache", "a", "blob.bin"), Buffer.from([0, 1, 255, i]), { mode: 0o600 });
  await symlink("/", join(dir, "cache", "to-root"));
  await symlink("releases/v1", join(dir, "current"));
  for (let f = 0; f < 40; f++)
    await writeFile(join(dir, "releases", "v1", `lib-${f}.js`), `export const n = ${f};\n`);
  await chmod(join(dir, "cache", "a"), 0o750);
}

/** Ansible's INI, as a team has it: a group, its vars, host4 reached by ProxyJump through host1. */
function inventory(dirs: readonly string[], gate: (i: number) => string): string {
  const lines = ["[web]"];
  for (const [i, h] of fleet.hosts.entries()) {
    const jump = i === 3 ? " ansible_ssh_common_args='-o ProxyJump=host1'" : "";
    lines.push(
      `${h.name} ansible_host=127.0.0.1 ansible_port=${h.port} dir=${dirs[i]} gate=${gate(i)}${jump}`,
    );
  }
  lines.push(
    "",
    "[web:vars]",
    `ansible_user=${fleet.user}`,
    `ansible_ssh_private_key_file=${fleet.identityFile}`,
    "",
  );
  return lines.join("\n");
}

function operation(): string {
  const pause = (n: number) => `  - name: pause-${n}\n    uses: noop\n    with: { sleep: ${PAUSE_MS}ms }\n`;
  return `opsdojo: operation/v1
name: fleet-roll
params:
  release: { type: string, default: "3.1" }
strategy: { batch_size: 2 }
steps:
  - name: write-conf
    uses: file.write
    with: { path: "\${target.dir}/app.conf", content: "release=\${params.release}\\n", mode: "0600" }
${pause(1)}  - name: recolour
    uses: file.replace
    with: { path: "\${target.dir}/settings.ini", find: blue, replace: green }
${pause(2)}  - name: lock-script
    uses: file.chmod
    with: { path: "\${target.dir}/run.sh", mode: "0700" }
${pause(3)}  - name: drop-cache
    uses: file.delete
    with: { path: "\${target.dir}/cache", recursive: true }
${pause(4)}  - name: switch
    uses: file.symlink
    with: { target: releases/v2, path: "\${target.dir}/current" }
  - name: keep-copy
    uses: file.copy
    with: { from: "\${target.dir}/releases", to: "\${target.dir}/releases.bak" }
  - name: hold
    uses: shell.run
    with: { command: "while [ ! -e '\${target.gate}' ]; do sleep 0.05; done" }
    undo: { uses: noop }
`;
}

interface Listed {
  items: Array<{ id: string; status: string }>;
}

async function fixture() {
  const root = await tempDir("opsdojo-fleet-");
  const home = await tempDir("opsdojo-fleet-home-");
  const dirs: string[] = [];
  for (const [i, h] of fleet.hosts.entries()) {
    const dir = join(h.base, `roll-${root.split("/").at(-1)}`);
    await buildTree(dir, i);
    dirs.push(dir);
  }
  await writeFile(join(root, "open"), "");
  // The last batch (host3, host4) holds on a gate nobody opens: the run is killed, never done.
  const inv = join(root, "hosts.ini");
  await writeFile(
    inv,
    inventory(dirs, (i) => join(root, i < 2 ? "open" : "never")),
  );
  const file = join(root, "roll.yaml");
  await writeFile(file, operation());
  const original: TreeSnapshot[] = [];
  for (const dir of dirs) original.push(await snapshotTree(dir));
  const differences = async () => {
    const out: string[] = [];
    for (const [i, dir] of dirs.entries())
      out.push(
        ...treeDifferences(original[i] as TreeSnapshot, await snapshotTree(dir)).map(
          (d) => `host${i + 1} ${d}`,
        ),
      );
    return out;
  };
  return { root, home, dirs, inv, file, differences };
}

describe("opsdojo run --inventory on a fleet over SSH", () => {
  it(`killed with SIGKILL at seeded points, runs undo restores every host byte for byte (${SEEDS.length} kills)`, async () => {
    const { home, dirs, inv, file, differences } = await fixture();
    const ssh = ["--known-hosts", fleet.knownHosts];
    const seen = new Set<string>();
    for (const [i, seed] of SEEDS.entries()) {
      const delay = Math.floor(((i + seeded(seed)()) / SEEDS.length) * MAX_KILL_DELAY_MS);
      const where = `seed ${seed}, killed ${delay} ms after the first change`;
      const child = spawn(process.execPath, [BIN, "run", file, "--inventory", inv, ...ssh], {
        env: cleanEnv(home, { SSH_AUTH_SOCK: "" }),
        stdio: "ignore",
      });
      let finished: number | null | undefined;
      const exited = new Promise<void>((resolve) =>
        child.once("exit", (code) => {
          finished = code;
          resolve();
        }),
      );
      const conf = join(dirs[0] as string, "app.conf");
      const original = await readFile(conf, "utf8");
      await until(
        async () => finished !== undefined || (await readFile(conf, "utf8")) !== original,
        "the first change",
        {
          intervalMs: 10,
          timeoutMs: 60_000,
        },
      );
      // The one deliberate wait: a seeded kill point, not a wait for something to happen.
      await sleep(delay);
      expect(finished, `${where}: the run ended before it was killed`).toBeUndefined();
      child.kill("SIGKILL");
      await exited;

      const listed = await opsdojo(home, ["runs", "list", "--json"]);
      const run = (JSON.parse(listed.stdout) as Listed).items.find((r) => !seen.has(r.id));
      const id = run?.id as string;
      seen.add(id);
      expect(run?.status, where).toBe("interrupted");
      // From the run's record alone: no inventory given to undo, only how to trust the hosts.
      const undo = await opsdojo(home, ["runs", "undo", id, ...ssh, "--json"], { SSH_AUTH_SOCK: "" });
      expect(undo.code, `${where}: ${undo.stderr}${undo.stdout}`).toBe(0);
      expect(JSON.parse(undo.stdout), where).toMatchObject({ id, status: "rolled_back", unrestored: [] });
      expect(await differences(), where).toEqual([]);
    }
    expect(seen.size).toBe(SEEDS.length);
  }, 400_000);

  it("plans on the hosts (previews read over SFTP) and refuses an unknown host key with what to do", async () => {
    const { root, home, inv, file, differences } = await fixture();
    const plan = await opsdojo(
      home,
      [
        "plan",
        file,
        "--inventory",
        inv,
        "--limit",
        "web:!host2",
        "--known-hosts",
        fleet.knownHosts,
        "--json",
      ],
      { SSH_AUTH_SOCK: "" },
    );
    expect(plan.code, plan.stderr).toBe(0);
    const report = JSON.parse(plan.stdout) as {
      steps: Array<{ name: string; previews: Array<{ target: string; source: string; effects: unknown[] }> }>;
    };
    const write = report.steps.find((s) => s.name === "write-conf");
    expect(write?.previews.map((p) => `${p.target}:${p.source}`)).toEqual([
      "host1:provider",
      "host3:provider",
      "host4:provider",
    ]);
    expect(JSON.stringify(write?.previews[0]?.effects)).toContain("release=old-0");

    const empty = join(root, "known_hosts");
    await writeFile(empty, "");
    const run = await opsdojo(
      home,
      ["run", file, "--inventory", inv, "--limit", "host2", "--known-hosts", empty],
      {
        SSH_AUTH_SOCK: "",
      },
    );
    expect(run.code).toBe(1);
    expect(`${run.stdout}${run.stderr}`).toContain(`host2 is not in ${empty}`);
    expect(`${run.stdout}${run.stderr}`).toContain("--accept-new-host-keys");
    expect(await differences()).toEqual([]);

    // Accepted knowingly: recorded, and said, one line per host.
    const accepted = await opsdojo(
      home,
      [
        "plan",
        file,
        "--inventory",
        inv,
        "--limit",
        "host2",
        "--known-hosts",
        empty,
        "--accept-new-host-keys",
      ],
      { SSH_AUTH_SOCK: "" },
    );
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(accepted.stderr).toContain("accepted new host key for host2 (ED25519 SHA256:");
    expect(accepted.stderr).toContain(`) into ${empty}`);
    expect((await readFile(empty, "utf8")).split("\n").filter((l) => l.trim() !== "")).toHaveLength(1);
  }, 120_000);
});
