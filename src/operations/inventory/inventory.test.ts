import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FileUnreadableError } from "../../core/index.ts";
import {
  connectionOf,
  expandHostRange,
  InventoryFileError,
  type InventoryHost,
  InventoryLimitError,
  loadInventory,
  parseInventory,
  resolveHosts,
  selectHosts,
} from "./index.ts";

const INI = `# the fleet
jump01 ansible_host=10.0.0.1

[web]
web[01:03] ansible_user=deploy
web04:2204 weight=2 enabled=True note="two words" # the canary

[db]
db-[a:b] ansible_port=5432

[canary]
web04

[app:children]
web
db

[app:vars]
tier=app
port_hint=8080

[web:vars]
tier=web

[all:vars]
tier=none
region=eu
`;

const YAML = `all:
  vars: { tier: none, region: eu }
  hosts:
    jump01: { ansible_host: 10.0.0.1 }
  children:
    app:
      vars: { tier: app, port_hint: 8080 }
      children:
        web:
          vars: { tier: web }
          hosts:
            web[01:03]: { ansible_user: deploy }
            web04: { ansible_port: 2204, weight: 2, enabled: true, note: two words }
        db:
          hosts:
            db-[a:b]: { ansible_port: 5432 }
    canary:
      hosts:
        web04:
`;

function byName(hosts: readonly InventoryHost[]) {
  return Object.fromEntries(hosts.map((h) => [h.name, { groups: [...h.groups].sort(), vars: h.vars }]));
}

describe("host ranges", () => {
  it("expands numbers with the width written, letters, steps and several ranges", () => {
    expect(expandHostRange("web[01:03].lan")).toEqual(["web01.lan", "web02.lan", "web03.lan"]);
    expect(expandHostRange("db-[a:c]")).toEqual(["db-a", "db-b", "db-c"]);
    expect(expandHostRange("n[1:9:4]")).toEqual(["n1", "n5", "n9"]);
    expect(expandHostRange("r[1:2]c[a:b]")).toEqual(["r1ca", "r1cb", "r2ca", "r2cb"]);
    expect(expandHostRange("plain.example")).toEqual(["plain.example"]);
  });

  it("refuses a backwards range, a bad step, a huge range and unbalanced brackets", () => {
    expect(() => expandHostRange("w[5:1]")).toThrow(/start is after the end/);
    expect(() => expandHostRange("w[1:5:0]")).toThrow(/step must be a whole number/);
    expect(() => expandHostRange("w[0:9999999]")).toThrow(/more than 100000 hosts/);
    expect(() => expandHostRange("w[1:x]")).toThrow(/two numbers .* or two letters/);
    expect(() => expandHostRange("w[1:2")).toThrow(/unbalanced brackets/);
  });
});

describe("reading Ansible inventories", () => {
  it("reads INI: sections, children, group vars, inline literals, host:port, ungrouped hosts", () => {
    const inventory = parseInventory("hosts", INI);
    expect(inventory.format).toBe("ansible-ini");
    const hosts = byName(resolveHosts(inventory));
    expect(Object.keys(hosts)).toEqual(["jump01", "web01", "web02", "web03", "web04", "db-a", "db-b"]);
    expect(hosts.jump01?.groups).toEqual(["all", "ungrouped"]);
    expect(hosts.web04?.groups).toEqual(["all", "app", "canary", "web"]);
    // Values are Python literals, as Ansible reads them (checked against ansible-inventory 2.14).
    expect(hosts.web04?.vars).toMatchObject({
      ansible_port: 2204,
      weight: 2,
      enabled: true,
      note: "two words",
    });
    expect(hosts.web01?.vars).toMatchObject({ ansible_user: "deploy", port_hint: 8080, region: "eu" });
  });

  it("resolves variables as Ansible does: all < parent group < child group < host", () => {
    const hosts = byName(resolveHosts(parseInventory("hosts", INI)));
    expect(hosts.jump01?.vars.tier).toBe("none");
    expect(hosts["db-a"]?.vars.tier).toBe("app");
    expect(hosts.web02?.vars.tier).toBe("web");
  });

  it("reads the same fleet written in Ansible's YAML to the same hosts, groups and variables", () => {
    const fromYaml = parseInventory("inventory.yaml", YAML);
    expect(fromYaml.format).toBe("ansible-yaml");
    expect(byName(resolveHosts(fromYaml))).toEqual(byName(resolveHosts(parseInventory("hosts", INI))));
  });

  it("takes a YAML mapping without an extension as YAML, and anything else as INI", () => {
    expect(parseInventory("hosts", YAML).format).toBe("ansible-yaml");
    expect(parseInventory("hosts", "[web]\nweb01\n").format).toBe("ansible-ini");
  });
});

describe("inventory/v1", () => {
  const V1 = `opsdojo: inventory/v1
vars: { app: shop }
hosts:
  bastion: { host: 127.0.0.1, port: 2200, user: ops }
  web[1:2]: { host: 127.0.0.1, port: 2201, user: deploy, identity_file: /keys/id, jump: bastion, become: true, vars: { weight: 1 } }
groups:
  web: { hosts: ["web[1:2]"], vars: { role: web } }
  edge: { hosts: [bastion] }
`;

  it("reads hosts with connection settings, groups and variables", () => {
    const hosts = resolveHosts(parseInventory("fleet.yaml", V1));
    const web1 = hosts.find((h) => h.name === "web1");
    expect(web1?.vars).toMatchObject({ app: "shop", role: "web", weight: 1, port: 2201 });
    expect(connectionOf(web1 as InventoryHost)).toEqual({
      name: "web1",
      connection: "ssh",
      host: "127.0.0.1",
      port: 2201,
      user: "deploy",
      identityFile: "/keys/id",
      jump: "bastion",
      become: true,
    });
  });

  it("names every problem with its line: an unknown setting, an undeclared host, a bad group name", () => {
    const bad = `opsdojo: inventory/v1
hosts:
  web1: { hots: 127.0.0.1 }
groups:
  web: { hosts: [web2] }
  9lives: { hosts: [web1] }
`;
    let error: unknown;
    try {
      parseInventory("bad.yaml", bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InventoryFileError);
    const issues = (error as InventoryFileError).issues.map((i) => `${i.line}: ${i.message}`);
    expect(issues).toEqual([
      expect.stringMatching(/^3: unknown host setting "hots": expected host, port/),
      expect.stringMatching(/^5: host "web2" is not under hosts/),
      expect.stringMatching(/^6: group name "9lives"/),
    ]);
    expect((error as Error).message).toContain('docs/operations.md "Inventories"');
  });
});

describe("connection settings from Ansible's names", () => {
  it("reads ansible_host, port, user, key, become and a ProxyJump", () => {
    const [host] = resolveHosts(
      parseInventory(
        "hosts",
        "[web]\nweb01 ansible_host=10.1.1.1 ansible_port=2222 ansible_user=deploy ansible_ssh_private_key_file=/k ansible_become=yes ansible_ssh_common_args='-o ProxyJump=ops@bastion:22'\n",
      ),
    );
    expect(connectionOf(host as InventoryHost)).toEqual({
      name: "web01",
      connection: "ssh",
      host: "10.1.1.1",
      port: 2222,
      user: "deploy",
      identityFile: "/k",
      jump: "ops@bastion:22",
      become: true,
    });
  });

  it("refuses a port that is not a port", () => {
    const [host] = resolveHosts(parseInventory("hosts", "web01 ansible_port=99999\n"));
    expect(() => connectionOf(host as InventoryHost)).toThrow(
      /web01: the port must be a whole number from 1 to 65535/,
    );
  });
});

describe("--limit", () => {
  const inventory = parseInventory("hosts", INI);
  const hosts = resolveHosts(inventory);
  const pick = (limit: string) => selectHosts(inventory, hosts, limit).map((h) => h.name);

  it("picks groups with their children, hosts, globs, regexes and subscripts", () => {
    expect(pick("app")).toEqual(["web01", "web02", "web03", "web04", "db-a", "db-b"]);
    expect(pick("jump01,db")).toEqual(["jump01", "db-a", "db-b"]);
    expect(pick("web0*")).toEqual(["web01", "web02", "web03", "web04"]);
    expect(pick("~^db-[ab]$")).toEqual(["db-a", "db-b"]);
    expect(pick("web[0:1]")).toEqual(["web01", "web02"]);
    expect(pick("web[-1]")).toEqual(["web04"]);
  });

  it("intersects with & and excludes with !", () => {
    expect(pick("app:!canary")).toEqual(["web01", "web02", "web03", "db-a", "db-b"]);
    expect(pick("web:&canary")).toEqual(["web04"]);
    expect(pick("all,!app")).toEqual(["jump01"]);
  });

  it("refuses a term that names nothing, and a limit that leaves nothing", () => {
    expect(() => pick("wbe")).toThrow(InventoryLimitError);
    expect(() => pick("wbe")).toThrow(/"wbe" matches no host or group\. Groups: all, ungrouped, web/);
    expect(() => pick("canary:!web")).toThrow(/leaves no host/);
  });
});

describe("INI values", () => {
  it("reads host-line and group values as Ansible does", () => {
    const [w1] = resolveHosts(
      parseInventory(
        "hosts",
        `[web]\nw1 a=true b=True c="x y" d=0755 e=1.5 f=[1,2]\n[web:vars]\nflag=True\nq="quoted"\nn=0755\nlst=[1,2]\n`,
      ),
    );
    expect(w1?.vars).toEqual({
      a: "true",
      b: true,
      c: "x y",
      d: "0755",
      e: 1.5,
      f: [1, 2],
      flag: true,
      q: "quoted",
      n: "0755",
      lst: [1, 2],
    });
  });
});

describe("errors in Ansible files", () => {
  it("reports a bad section header and a bad host line with their lines", () => {
    let error: unknown;
    try {
      parseInventory("hosts.ini", "[web]\nweb01\n[web:nope]\nx\n[db]\ndb1 port\ndb2 'open\n");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InventoryFileError);
    expect((error as InventoryFileError).issues.map((i) => `${i.line}: ${i.message}`)).toEqual([
      "3: section header [web:nope]: expected [group], [group:vars] or [group:children]",
      '6: "port": expected name=value after the host name',
      "7: unclosed ' quote",
    ]);
  });

  it("refuses groups that are their own ancestors", () => {
    expect(() => parseInventory("hosts", "[a:children]\nb\n[b:children]\na\n")).toThrow(
      /circle of children: a → b → a/,
    );
  });

  it("refuses an unknown key in an Ansible YAML group with its line", () => {
    expect(() => parseInventory("i.yml", "all:\n  hosts: {h1: }\n  childs: {}\n")).toThrow(
      /i\.yml:3:3: all\.childs: unknown key "childs" in a group/,
    );
  });

  it("says which file cannot be read", async () => {
    const dir = await mkdtemp(join(tmpdir(), "inv-"));
    await expect(loadInventory(join(dir, "missing"))).rejects.toBeInstanceOf(FileUnreadableError);
    await writeFile(join(dir, "hosts"), INI);
    const { hosts } = await loadInventory(join(dir, "hosts"), { limit: "db" });
    expect(hosts.map((h) => h.name)).toEqual(["db-a", "db-b"]);
  });
});
