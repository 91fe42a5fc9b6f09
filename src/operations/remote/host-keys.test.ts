import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fleetTarget, type SshFleet, startSshFleet } from "../../../test/support/sshd.ts";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import {
  describeRecordedHostKey,
  execRemote,
  HostKeyChangedError,
  type HostKeyRecord,
  keyTypeLabel,
  recordHostKey,
  SshPool,
  type SshTarget,
} from "./index.ts";

const run = promisify(execFile);
let fleet: SshFleet;

beforeAll(async () => {
  fleet = await startSshFleet(2);
}, 120_000);

afterAll(async () => {
  await fleet?.stop();
  await removeTempDirs();
});

function target(i: number, extra: Partial<SshTarget> = {}): SshTarget {
  return { ...fleetTarget(fleet, i), ...extra };
}

/** `SHA256:…` of a host's key as ssh-keygen prints it: the reference, not our own code. */
async function keygenFingerprint(i: number): Promise<string> {
  const file = join(await tempDir(), "key.pub");
  await writeFile(file, `${fleet.hosts[i]?.hostKey}\n`);
  const { stdout } = await run("ssh-keygen", ["-l", "-f", file]);
  return stdout.split(" ")[1] ?? "?";
}

describe("--accept-new-host-keys", () => {
  it("says what it recorded, as ssh-keygen names the key, and the record lets the next run in", async () => {
    const file = join(await tempDir(), "known_hosts");
    const said: string[] = [];
    const pool = new SshPool({
      knownHostsFile: file,
      agent: "",
      acceptNewHostKeys: true,
      onHostKeyRecorded: (_endpoint, _fingerprint, record) => said.push(describeRecordedHostKey(record)),
    });
    await pool.get(target(0));
    pool.close();
    expect(said).toEqual([
      `accepted new host key for host1 (ED25519 ${await keygenFingerprint(0)}) into ${file}`,
    ]);

    const strict = new SshPool({ knownHostsFile: file, agent: "" });
    expect((await execRemote(await strict.get(target(0)), "host1", "echo known")).stdout).toBe("known\n");
    strict.close();
  });

  it("records a host once when several connections meet it at the same time", async () => {
    const file = join(await tempDir(), "known_hosts");
    const records: HostKeyRecord[] = [];
    const pools = [1, 2, 3].map(
      () =>
        new SshPool({
          knownHostsFile: file,
          agent: "",
          acceptNewHostKeys: true,
          onHostKeyRecorded: (_e, _f, record) => records.push(record),
        }),
    );
    await Promise.all(pools.map((pool) => pool.get(target(1))));
    for (const pool of pools) pool.close();
    expect((await readFile(file, "utf8")).trim().split("\n")).toEqual([
      `[127.0.0.1]:${fleet.hosts[1]?.port} ${fleet.hosts[1]?.hostKey}`,
    ]);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ name: "host2", recordedAs: `[127.0.0.1]:${fleet.hosts[1]?.port}` });
  });

  it("refuses a revoked key even when accepting new ones, and writes nothing", async () => {
    const file = join(await tempDir(), "known_hosts");
    const content = `@revoked [127.0.0.1]:${fleet.hosts[0]?.port} ${fleet.hosts[0]?.hostKey}\n`;
    await writeFile(file, content);
    const pool = new SshPool({ knownHostsFile: file, agent: "", acceptNewHostKeys: true });
    const error = await pool.get(target(0)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostKeyChangedError);
    expect((error as Error).message).toMatch(/@revoked/);
    expect(await readFile(file, "utf8")).toBe(content);
    pool.close();
  });

  it("refuses a changed key even when accepting new ones, naming the key offered, leaving the file as it was", async () => {
    const file = join(await tempDir(), "known_hosts");
    const content = `[127.0.0.1]:${fleet.hosts[0]?.port} ${fleet.hosts[1]?.hostKey}\n`;
    await writeFile(file, content);
    const pool = new SshPool({ knownHostsFile: file, agent: "", acceptNewHostKeys: true });
    const error = await pool.get(target(0)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostKeyChangedError);
    expect((error as Error).message).toContain(await keygenFingerprint(0));
    expect((error as Error).message).toContain("ssh-keygen -R");
    expect(await readFile(file, "utf8")).toBe(content);
    pool.close();
  });
});

describe("recordHostKey", () => {
  it("does not record a key over a different one written meanwhile", async () => {
    const file = join(await tempDir(), "ssh", "known_hosts");
    const key = (i: number) => Buffer.from(fleet.hosts[i]?.hostKey.split(" ")[1] ?? "", "base64");
    expect(await recordHostKey(file, "10.0.0.1", 22, key(0))).toBe("recorded");
    expect(await recordHostKey(file, "10.0.0.1", 22, key(0))).toBe("known");
    expect(await recordHostKey(file, "10.0.0.1", 22, key(1))).toBe("changed");
    expect(await readFile(file, "utf8")).toBe(`10.0.0.1 ${fleet.hosts[0]?.hostKey}\n`);
  });

  it("names key types as ssh-keygen does", () => {
    expect(
      ["ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa", "sk-ssh-ed25519@openssh.com", "x-new"].map(
        keyTypeLabel,
      ),
    ).toEqual(["ED25519", "ECDSA", "RSA", "ED25519-SK", "x-new"]);
  });
});
