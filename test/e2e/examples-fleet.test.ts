import { createHash } from "node:crypto";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { loadScenario } from "../../src/gamedays/index.ts";
import { connectionOf, loadInventory } from "../../src/operations/inventory/index.ts";
import { loadOperation, OperationFileError } from "../../src/operations/loader/index.ts";
import { opsdojo } from "../support/opsdojo-process.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";
import { snapshotTree } from "../support/tree-snapshot.ts";

// The fleet examples (examples/operations/fleet-config.yaml, examples/inventories/,
// examples/gamedays/fleet-drift/) as the loaders read them. Running fleet-config.yaml over SSH
// is bench:fleet's part (bench/fleet.ts) and the engine's SSH tests'.

const examples = (path: string) => fileURLToPath(new URL(`../../examples/${path}`, import.meta.url));

function named<T extends { name: string }>(items: readonly T[], name: string | undefined): T {
  const found = items.find((item) => item.name === name);
  if (found === undefined) throw new Error(`no ${name} among ${items.map((i) => i.name).join(", ")}`);
  return found;
}

afterAll(removeTempDirs);

describe("examples/operations/fleet-config.yaml", () => {
  it("loads: five file steps, undone on every host done if a batch fails", async () => {
    const op = await loadOperation(examples("operations/fleet-config.yaml"));
    expect(op.steps.map((s) => s.uses)).toEqual([
      "file.mkdir",
      "file.write",
      "file.copy",
      "file.chmod",
      "file.symlink",
    ]);
    expect(op.strategy).toEqual({ batch_size: "25%", max_failures: 0, on_failure: "rollback" });
    expect(op.targets).toBeUndefined(); // the hosts come from --inventory
  });

  it("leaves on its one local target the tree bench:fleet expects of every host, and undoes it", async () => {
    const home = await tempDir();
    const root = join(await tempDir(), "srv");
    await mkdir(root);
    await chmod(root, 0o755);
    const file = examples("operations/fleet-config.yaml");
    const run = await opsdojo(home, [
      "run",
      file,
      "--param",
      `root=${root}`,
      "--param",
      "workers=6",
      "--json",
    ]);
    expect(run.code, run.stderr).toBe(0);
    const config = "# local: release 2.0.0\nrelease=2.0.0\nworkers=6\nlisten=0.0.0.0:8080\n";
    const bytes = { size: config.length, sha256: createHash("sha256").update(config).digest("hex") };
    expect(await snapshotTree(root)).toEqual({
      ".": { type: "dir", mode: "0755" },
      local: { type: "dir", mode: "0755" },
      "local/current": { type: "symlink", target: "releases/2.0.0" },
      "local/releases": { type: "dir", mode: "0755" },
      "local/releases/2.0.0": { type: "dir", mode: "0755" },
      "local/releases/2.0.0/app.conf": { type: "file", mode: "0640", ...bytes },
      "local/releases/2.0.0/app.conf.default": { type: "file", mode: "0644", ...bytes },
    });
    const { id } = JSON.parse(run.stdout) as { id: string };
    const undo = await opsdojo(home, ["runs", "undo", id, "--json"]);
    expect(undo.code, undo.stderr).toBe(0);
    expect(await snapshotTree(root)).toEqual({ ".": { type: "dir", mode: "0755" } });
  });
});

describe("examples/inventories", () => {
  it("fleet.ini and fleet.yaml describe the same fleet", async () => {
    const ini = await loadInventory(examples("inventories/fleet.ini"));
    const yaml = await loadInventory(examples("inventories/fleet.yaml"));
    expect(ini.inventory.format).toBe("ansible-ini");
    expect(yaml.inventory.format).toBe("inventory/v1");
    expect(ini.hosts.map((h) => h.name)).toEqual(yaml.hosts.map((h) => h.name));
    expect(ini.hosts).toHaveLength(23);
    for (const limit of ["web", "canary", "db", "fleet", "web:!canary", "web[0:4]"]) {
      const names = async (file: string) =>
        (await loadInventory(examples(file), { limit })).hosts.map((h) => h.name);
      expect(await names("inventories/fleet.ini"), limit).toEqual(await names("inventories/fleet.yaml"));
    }
    const connections = (hosts: typeof ini.hosts) =>
      hosts.map((h) => {
        const { jump: _, ...rest } = connectionOf(h);
        return rest;
      });
    expect(connections(ini.hosts)).toEqual(connections(yaml.hosts));
    // The databases' bastion is written inline in INI (ProxyJump) and by name in inventory/v1.
    const db = (hosts: typeof ini.hosts) => connectionOf(named(hosts, "db-a.example.internal"));
    expect(db(ini.hosts)).toMatchObject({
      jump: "ops@203.0.113.10",
      port: 2222,
      become: true,
      becomeUser: "postgres",
    });
    expect(db(yaml.hosts).jump).toBe("bastion");
    expect(connectionOf(named(yaml.hosts, "bastion"))).toMatchObject({
      host: "203.0.113.10",
      user: "ops",
    });
  });
});

describe("examples/gamedays/fleet-drift", () => {
  it("loads, and its fault acts on one host of the fleet over SSH", async () => {
    const { scenario, faults } = await loadScenario(examples("gamedays/fleet-drift/scenario.yaml"));
    expect(scenario.name).toBe("fleet-drift");
    expect(faults).toHaveLength(1);
    const targets = faults[0]?.operation.targets ?? [];
    expect(targets).toHaveLength(1);
    const fleet = await loadInventory(examples("inventories/fleet.ini"), { limit: "web" });
    const host = connectionOf(named(fleet.hosts, targets[0]?.name)); // a web host of fleet.ini
    expect(targets[0]).toMatchObject({ host: host.host, user: host.user });
  });
});

describe("SSH target fields in operation/v1", () => {
  const op = (target: string) => `opsdojo: operation/v1
name: ssh-target
params:
  sudo_password: { type: string, secret: true, source: "env:SUDO_PASSWORD" }
targets:
  - ${target}
steps:
  - { name: hello, uses: noop }
`;

  it("accepts host, port, user, identity_file, jump and become", async () => {
    const file = join(await tempDir(), "op.yaml");
    await writeFile(
      file,
      op(
        `{ name: db1, host: 10.0.0.5, port: 2222, user: deploy, identity_file: ~/.ssh/id_ed25519, jump: bastion, become: { user: postgres, password_param: sudo_password } }`,
      ),
    );
    expect((await loadOperation(file)).targets?.[0]).toMatchObject({
      host: "10.0.0.5",
      port: 2222,
      become: { user: "postgres", password_param: "sudo_password" },
    });
    await writeFile(file, op("{ name: web1, host: web1.example.internal, become: true }"));
    expect((await loadOperation(file)).targets?.[0]?.become).toBe(true);
  });

  it("says what become may be, and where, when it is something else", async () => {
    const file = join(await tempDir(), "op.yaml");
    await writeFile(file, op("{ name: web1, host: web1, become: yes-please }"));
    const error = await loadOperation(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OperationFileError);
    expect((error as Error).message).toContain(`${file}:6:`);
    expect((error as Error).message).toContain("true, false or { user, password_param }");
  });
});
