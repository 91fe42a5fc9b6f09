// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} is the operation file's own reference syntax, written literally on purpose.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { parseOperation } from "../loader/index.ts";
import { targetsOf } from "../model/index.ts";
import { inventoryTargets, sourceWithTargets } from "./index.ts";

afterAll(removeTempDirs);

const INI = `[web]
web1 ansible_host=10.0.0.11 dir=/srv/app name=ignored
web2 ansible_host=10.0.0.12 ansible_port=2222 ansible_ssh_common_args='-o ProxyJump=web1' dir=/srv/app

[db]
db1 ansible_become=yes ansible_become_user=postgres become_password=env:DB_SUDO dir=/var/db
here ansible_connection=local dir=/tmp/here

[all:vars]
ansible_user=deploy
ansible_ssh_private_key_file=~/.ssh/deploy
`;

async function inventory(): Promise<string> {
  const file = join(await tempDir(), "hosts.ini");
  await writeFile(file, INI);
  return file;
}

describe("an inventory's hosts as targets", () => {
  it("reads each host's connection, vars and become, a password source as a secret param", async () => {
    const { targets, params } = await inventoryTargets(await inventory());
    expect(targets).toEqual([
      {
        name: "web1",
        vars: expect.objectContaining({ dir: "/srv/app" }),
        host: "10.0.0.11",
        port: 22,
        user: "deploy",
        identity_file: "~/.ssh/deploy",
      },
      expect.objectContaining({ name: "web2", host: "10.0.0.12", port: 2222, jump: "web1" }),
      expect.objectContaining({
        name: "db1",
        host: "db1",
        become: { user: "postgres", password_param: "become_password_1" },
      }),
      { name: "here", vars: expect.objectContaining({ dir: "/tmp/here" }) },
    ]);
    expect(targets[0]?.vars).not.toHaveProperty("name");
    expect(params).toEqual({ become_password_1: { type: "string", secret: true, source: "env:DB_SUDO" } });
  });

  it("selects with --limit, and says so when nothing is selected", async () => {
    const file = await inventory();
    expect((await inventoryTargets(file, "web:!web2")).targets.map((t) => t.name)).toEqual(["web1"]);
    await expect(inventoryTargets(file, "db:&web")).rejects.toThrow(/--limit "db:&web": leaves no host/);
  });

  it("writes them into the operation's text after its steps, replacing its own targets", async () => {
    const source = `# rolled to every web host
opsdojo: operation/v1
name: roll
targets:
  - { name: local, vars: { dir: /tmp/x } }
steps:
  - name: conf # the config
    uses: file.write
    with: { path: "\${target.dir}/app.conf", content: "x" }
`;
    const selected = await inventoryTargets(await inventory(), "web");
    const text = sourceWithTargets(source, selected);
    expect(text).toContain("# rolled to every web host");
    expect(text).toContain("# the config");
    const op = parseOperation(text, "roll.yaml");
    expect(targetsOf(op).map((t) => `${t.name}@${t.host}`)).toEqual(["web1@10.0.0.11", "web2@10.0.0.12"]);
    expect(text.indexOf("targets:")).toBeGreaterThan(text.indexOf("steps:"));
  });
});
