import { chown, mkdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { livingWith, uniqueSleep } from "../../../test/support/processes.ts";
import { fleetTarget, type SshFleet, startSshFleet } from "../../../test/support/sshd.ts";
import { ensureSudoUser, type SudoUser } from "../../../test/support/sudo-user.ts";
import { removeTempDirs } from "../../../test/support/temp.ts";
import { until } from "../../../test/support/until.ts";
import { BecomeFailedError, becomeFrom, execRemote, RemoteFs, SshPool, type SshTarget } from "./index.ts";

let fleet: SshFleet;
let sudoer: SudoUser;
let pool: SshPool;
/** A directory on host1 that only `nobody` may write. */
let nobodysDir: string;

beforeAll(async () => {
  sudoer = await ensureSudoUser();
  fleet = await startSshFleet(1);
  pool = new SshPool({ knownHostsFile: fleet.knownHosts, agent: "" });
  nobodysDir = join(fleet.hosts[0]?.base ?? "/nonexistent", "nobody");
  await mkdir(nobodysDir, { mode: 0o755 });
  await chown(nobodysDir, sudoer.becomesUid, sudoer.becomesUid);
}, 120_000);

afterAll(async () => {
  pool?.close();
  await fleet?.stop();
  await removeTempDirs();
});

function target(user: string): SshTarget {
  return { ...fleetTarget(fleet, 0), name: `${user}@host1`, user };
}

describe("become on commands", () => {
  it("runs as the become user with the password sudo asks for, keeping the command's outputs", async () => {
    const client = await pool.get(target(sudoer.name));
    const result = await execRemote(client, "host1", 'id -un; echo "$GREETING" >&2; exit 4', {
      env: { GREETING: "hi" },
      become: { user: "nobody", password: sudoer.password },
    });
    expect(result).toMatchObject({ code: 4, stdout: "nobody\n", stderr: "hi\n", aborted: false });
    // Without become, the same connection is the login user.
    expect((await execRemote(client, "host1", "id -un")).stdout).toBe(`${sudoer.name}\n`);
  });

  it("needs no password where sudo asks none (root)", async () => {
    const result = await execRemote(await pool.get(target(fleet.user)), "host1", "id -un", {
      become: { user: "nobody" },
    });
    expect(result).toMatchObject({ code: 0, stdout: "nobody\n", stderr: "" });
  });

  it("fails with a typed error, never showing the password, when it is wrong", async () => {
    const client = await pool.get(target(sudoer.name));
    const error = await execRemote(client, "host1", "echo never", {
      become: { user: "nobody", password: "not-the-password" },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BecomeFailedError);
    expect((error as BecomeFailedError).code).toBe("become_failed");
    expect((error as Error).message).toMatch(/could not become nobody .*incorrect password/);
    expect((error as Error).message).not.toContain("not-the-password");
    expect(JSON.stringify((error as BecomeFailedError).details)).not.toContain("not-the-password");
  });

  it("fails with a typed error when sudo wants a password and none is given", async () => {
    const client = await pool.get(target(sudoer.name));
    await expect(execRemote(client, "host1", "echo never", { become: { user: "nobody" } })).rejects.toThrow(
      /could not become nobody with sudo \(sudo: a password is required\)/,
    );
  });

  it("never gives the password to the command", async () => {
    const client = await pool.get(target(sudoer.name));
    const result = await execRemote(client, "host1", "cat; env; ps -eo args", {
      become: { user: "nobody", password: sudoer.password },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain(sudoer.password);
  });

  it("stops a command run as another user when aborted", async () => {
    const client = await pool.get(target(sudoer.name));
    const marker = uniqueSleep();
    const stop = new AbortController();
    const running = execRemote(client, "host1", `${marker} & ${marker}; echo never`, {
      signal: stop.signal,
      become: { user: "nobody", password: sudoer.password },
    });
    await until(async () => (await livingWith(marker)).length >= 2, "both sleeps to start");
    stop.abort();
    expect(await running).toMatchObject({ aborted: true, stdout: "" });
    await until(async () => (await livingWith(marker)).length === 0, "the sleeps to be killed");
  });

  it("kills what a finished command run as another user left running", async () => {
    const client = await pool.get(target(sudoer.name));
    const marker = uniqueSleep();
    const result = await execRemote(client, "host1", `${marker} & echo left`, {
      become: { user: "nobody", password: sudoer.password },
    });
    expect(result.stdout).toBe("left\n");
    await until(async () => (await livingWith(marker)).length === 0, "the left-behind sleep to be killed");
  });

  it("refuses a user name that is not one before reaching the host", async () => {
    const client = await pool.get(target(fleet.user));
    await expect(execRemote(client, "host1", "true", { become: { user: "x; rm -rf /" } })).rejects.toThrow(
      /is not a user name sudo can take/,
    );
  });
});

describe("become on files", () => {
  it("reads and writes files as the become user over SFTP", async () => {
    const client = await pool.get(target(sudoer.name));
    const fs = await RemoteFs.open(client, "host1", {
      become: { user: "nobody", password: sudoer.password },
    });
    await fs.mkdir(`${nobodysDir}/etc`, 0o750);
    await fs.writeFile(`${nobodysDir}/etc/app.conf`, "port=8080\n", 0o640);
    expect((await fs.readFile(`${nobodysDir}/etc/app.conf`)).toString()).toBe("port=8080\n");
    const onDisk = await stat(join(nobodysDir, "etc", "app.conf"));
    expect(onDisk.uid).toBe(sudoer.becomesUid);
    expect(onDisk.mode & 0o777).toBe(0o640);
    await fs.symlink("app.conf", `${nobodysDir}/etc/current`);
    expect(await fs.readlink(`${nobodysDir}/etc/current`)).toBe("app.conf");
    fs.close();

    // The login user itself may not write there: the files above were written as nobody.
    const own = await RemoteFs.open(client, "host1");
    await expect(own.writeFile(`${nobodysDir}/etc/other.conf`, "x")).rejects.toMatchObject({
      code: "EACCES",
    });
    own.close();
  });

  it("fails with a typed error when the password is wrong", async () => {
    const client = await pool.get(target(sudoer.name));
    const error = await RemoteFs.open(client, "host1", {
      become: { user: "nobody", password: "wrong-again" },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BecomeFailedError);
    expect((error as Error).message).toMatch(/incorrect password/);
    expect((error as Error).message).not.toContain("wrong-again");
  });
});

describe("becomeFrom (a target's become setting)", () => {
  const params: Record<string, string> = { sudo_password: "s3cret" };
  const value = (name: string) => params[name];

  it("reads true as root, and takes the password from the named param", () => {
    expect(becomeFrom("web1", undefined, value)).toBeUndefined();
    expect(becomeFrom("web1", true, value)).toEqual({ user: "root" });
    expect(becomeFrom("web1", { user: "postgres" }, value)).toEqual({ user: "postgres" });
    expect(becomeFrom("web1", { password_param: "sudo_password" }, value)).toEqual({
      user: "root",
      password: "s3cret",
    });
  });

  it("says which param has no value", () => {
    expect(() => becomeFrom("web1", { password_param: "nope" }, value)).toThrow(
      /web1: become.password_param names "nope", which has no value: pass --param nope=/,
    );
  });
});
