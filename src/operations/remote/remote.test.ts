import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { livingWith, uniqueSleep } from "../../../test/support/processes.ts";
import { fleetTarget, type SshFleet, startSshFleet } from "../../../test/support/sshd.ts";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { until } from "../../../test/support/until.ts";
import {
  execRemote,
  HostKeyChangedError,
  HostKeyUnknownError,
  HostUnreachableError,
  RemoteFs,
  SshPool,
  type SshTarget,
} from "./index.ts";

const run = promisify(execFile);
let fleet: SshFleet;

beforeAll(async () => {
  fleet = await startSshFleet(3);
}, 120_000);

afterAll(async () => {
  await fleet?.stop();
  await removeTempDirs();
});

function target(i: number, extra: Partial<SshTarget> = {}): SshTarget {
  return { ...fleetTarget(fleet, i), ...extra };
}

describe("host keys", () => {
  it("connects to a host whose key is in known_hosts, plain or hashed", async () => {
    const pool = new SshPool({ knownHostsFile: fleet.knownHosts, agent: "" });
    const result = await execRemote(await pool.get(target(0)), "host1", "echo hello");
    expect(result).toMatchObject({ code: 0, stdout: "hello\n" });
    pool.close();

    const hashed = join(await tempDir(), "known_hosts");
    await writeFile(hashed, await readFile(fleet.knownHosts));
    await run("ssh-keygen", ["-H", "-f", hashed]);
    expect(await readFile(hashed, "utf8")).toMatch(/^\|1\|/);
    const hashedPool = new SshPool({ knownHostsFile: hashed, agent: "" });
    expect((await execRemote(await hashedPool.get(target(1)), "host2", "echo ok")).stdout).toBe("ok\n");
    hashedPool.close();
  });

  it("refuses an unknown key, naming its fingerprint as ssh-keygen prints it", async () => {
    const empty = join(await tempDir(), "known_hosts");
    const pool = new SshPool({ knownHostsFile: empty, agent: "" });
    const error = await pool.get(target(0)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostKeyUnknownError);
    const keyFile = join(await tempDir(), "key.pub");
    await writeFile(keyFile, `${fleet.hosts[0]?.hostKey}\n`);
    const { stdout } = await run("ssh-keygen", ["-l", "-f", keyFile]);
    expect((error as Error).message).toContain(stdout.split(" ")[1]);
    expect((error as Error).message).toContain("--accept-new-host-keys");
  });

  it("records an unknown key with acceptNewHostKeys, and says so", async () => {
    const file = join(await tempDir(), "ssh", "known_hosts");
    const recorded: string[] = [];
    const pool = new SshPool({
      knownHostsFile: file,
      agent: "",
      acceptNewHostKeys: true,
      onHostKeyRecorded: (endpoint, fingerprint) => recorded.push(`${endpoint.name} ${fingerprint}`),
    });
    expect((await execRemote(await pool.get(target(2)), "host3", "echo in")).stdout).toBe("in\n");
    pool.close();
    expect(await readFile(file, "utf8")).toBe(
      `[127.0.0.1]:${fleet.hosts[2]?.port} ${fleet.hosts[2]?.hostKey}\n`,
    );
    expect(recorded).toEqual([expect.stringMatching(/^host3 SHA256:/)]);
  });

  it("refuses a changed key even with acceptNewHostKeys", async () => {
    const file = join(await tempDir(), "known_hosts");
    await writeFile(file, `[127.0.0.1]:${fleet.hosts[0]?.port} ${fleet.hosts[1]?.hostKey}\n`);
    const pool = new SshPool({ knownHostsFile: file, agent: "", acceptNewHostKeys: true });
    await expect(pool.get(target(0))).rejects.toBeInstanceOf(HostKeyChangedError);
    expect(await readFile(file, "utf8")).not.toContain(fleet.hosts[0]?.hostKey ?? "?");
  });
});

describe("connections", () => {
  it("reuses one connection per host, and goes through a bastion", async () => {
    const pool = new SshPool({
      knownHostsFile: fleet.knownHosts,
      agent: "",
      resolveJump: (name) => (name === "bastion" ? target(0, { name: "bastion" }) : undefined),
    });
    expect(await pool.get(target(1))).toBe(await pool.get(target(1)));
    const viaBastion = await pool.get(target(2, { jump: "bastion" }));
    expect((await execRemote(viaBastion, "host3", "echo through")).stdout).toBe("through\n");
    pool.close();
  });

  it("says a host is unreachable, and through which bastion", async () => {
    const host = fleet.hosts[0];
    await host?.stop();
    try {
      const pool = new SshPool({
        knownHostsFile: fleet.knownHosts,
        agent: "",
        resolveJump: () => target(0, { name: "bastion" }),
      });
      const direct = await pool.get(target(0)).catch((e: unknown) => e);
      expect(direct).toBeInstanceOf(HostUnreachableError);
      expect((direct as HostUnreachableError).retryable).toBe(true);
      await expect(pool.get(target(2, { jump: "bastion" }))).rejects.toThrow(/cannot reach bastion/);
      pool.close();
    } finally {
      await host?.start();
    }
  });
});

describe("remote commands", () => {
  it("returns the exit code, both outputs, and sees exported variables", async () => {
    const pool = new SshPool({ knownHostsFile: fleet.knownHosts, agent: "" });
    const client = await pool.get(target(1));
    const result = await execRemote(client, "host2", 'echo "$GREETING"; echo oops >&2; exit 3', {
      env: { GREETING: "it's me" },
    });
    expect(result).toMatchObject({ code: 3, stdout: "it's me\n", stderr: "oops\n", aborted: false });
    pool.close();
  });

  it("kills what a finished command left running in its group", async () => {
    const pool = new SshPool({ knownHostsFile: fleet.knownHosts, agent: "" });
    const marker = uniqueSleep();
    const result = await execRemote(await pool.get(target(1)), "host2", `${marker} & echo left`);
    expect(result.stdout).toBe("left\n");
    await until(async () => (await livingWith(marker)).length === 0, "the left-behind sleep to be killed");
    pool.close();
  });

  it("stops a command and its children when aborted", async () => {
    const pool = new SshPool({ knownHostsFile: fleet.knownHosts, agent: "" });
    const marker = uniqueSleep();
    const stop = new AbortController();
    const running = execRemote(await pool.get(target(1)), "host2", `${marker} & ${marker}; echo never`, {
      signal: stop.signal,
    });
    // The shell running the command names the marker too: at least the two sleeps are there.
    await until(async () => (await livingWith(marker)).length >= 2, "both sleeps to start");
    stop.abort();
    const result = await running;
    expect(result.aborted).toBe(true);
    expect(result.stdout).toBe("");
    await until(async () => (await livingWith(marker)).length === 0, "the sleeps to be killed");
    pool.close();
  });
});

describe("remote files over SFTP", () => {
  it("writes, reads, stats, renames, links and removes like node:fs", async () => {
    const pool = new SshPool({ knownHostsFile: fleet.knownHosts, agent: "" });
    const fs = await RemoteFs.open(await pool.get(target(1)), "host2");
    const base = fleet.hosts[1]?.base ?? "/nonexistent";
    await fs.mkdir(`${base}/etc`, 0o750);
    await fs.writeFile(`${base}/etc/app.conf`, "port=1\n", 0o600);
    expect((await fs.readFile(`${base}/etc/app.conf`)).toString()).toBe("port=1\n");
    expect(await fs.lstat(`${base}/etc/app.conf`)).toMatchObject({ kind: "file", mode: 0o600, size: 7 });
    expect(await fs.lstat(`${base}/etc`)).toMatchObject({ kind: "directory", mode: 0o750 });
    await fs.writeFile(`${base}/etc/app.conf`, "port=2\n", 0o640);
    expect(await readFile(join(base, "etc", "app.conf"), "utf8")).toBe("port=2\n");
    await fs.symlink("app.conf", `${base}/etc/current`);
    expect(await fs.readlink(`${base}/etc/current`)).toBe("app.conf");
    expect((await fs.lstat(`${base}/etc/current`))?.kind).toBe("symlink");
    await fs.rename(`${base}/etc/app.conf`, `${base}/etc/app.old`);
    await fs.chmod(`${base}/etc/app.old`, 0o644);
    expect(await fs.readdir(`${base}/etc`)).toEqual(["app.old", "current"]);
    expect(await fs.lstat(`${base}/etc/app.conf`)).toBeUndefined();
    await expect(fs.readFile(`${base}/etc/app.conf`)).rejects.toMatchObject({ code: "ENOENT" });
    await fs.unlink(`${base}/etc/current`);
    await fs.unlink(`${base}/etc/app.old`);
    await fs.rmdir(`${base}/etc`);
    expect(await fs.lstat(`${base}/etc`)).toBeUndefined();
    fs.close();
    pool.close();
  });
});
