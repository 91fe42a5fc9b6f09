import { type ChildProcess, execFile, spawn } from "node:child_process";
import { chmod, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { userInfo } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "./ports.ts";
import { tempDir } from "./temp.ts";
import { until } from "./until.ts";

const run = promisify(execFile);
const SSHD = "/usr/sbin/sshd";

/** One OpenSSH server on loopback standing in for a host, with its own base directory. */
export interface SshHost {
  readonly name: string;
  readonly port: number;
  /** A directory of its own, for the host's files in a test. */
  readonly base: string;
  /** Its public host key as known_hosts writes it (`ssh-ed25519 AAAA…`). */
  readonly hostKey: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export interface SshFleet {
  readonly hosts: readonly SshHost[];
  /** A private key every host lets in (as the user running the tests). */
  readonly identityFile: string;
  /** known_hosts with every host's key. */
  readonly knownHosts: string;
  readonly user: string;
  stop(): Promise<void>;
}

/**
 * How a test reaches host `i` of a fleet: its name, loopback address and port, the fleet's user
 * and key — the fields of an SSH target (src/operations/remote), without importing it here.
 */
export function fleetTarget(
  fleet: SshFleet,
  i: number,
): { name: string; host: string; port: number; user: string; identityFile: string } {
  const host = fleet.hosts[i];
  if (host === undefined) throw new Error(`the fleet has no host ${i}`);
  return {
    name: host.name,
    host: "127.0.0.1",
    port: host.port,
    user: fleet.user,
    identityFile: fleet.identityFile,
  };
}

async function sshdMissing(): Promise<string | undefined> {
  try {
    await run(SSHD, ["-t", "-f", "/dev/null"]).catch((e: { stderr?: string }) => {
      if (/No such file/.test(String(e.stderr ?? e))) throw e;
    });
    return undefined;
  } catch {
    return "OpenSSH's server is missing: install it (apt-get install openssh-server; .ci/run does)";
  }
}

/** Every process below `root`, from /proc (sshd forks one per connection, and those fork shells). */
async function descendants(root: number): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    const ppid = Number(/\) \S+ (\d+)/.exec(stat)?.[1]);
    if (ppid > 0) parents.set(Number(entry), ppid);
  }
  const out: number[] = [];
  const walk = (pid: number) => {
    for (const [child, parent] of parents) {
      if (parent === pid) {
        out.push(child);
        walk(child);
      }
    }
  };
  walk(root);
  return out;
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("data", (data) => {
      socket.destroy();
      resolve(data.toString("latin1").startsWith("SSH-2.0"));
    });
    socket.once("error", () => resolve(false));
  });
}

/**
 * Starts `count` real sshd processes on loopback, each on a port of its own with its own host
 * key and base directory, all letting in one fresh key for the current user. Fails (never
 * skips) when sshd is missing. As root, sshd needs its privilege-separation directory.
 */
export async function startSshFleet(count: number): Promise<SshFleet> {
  const missing = await sshdMissing();
  if (missing !== undefined) throw new Error(missing);
  const dir = await tempDir("opsdojo-sshd-");
  if (process.getuid?.() === 0) await mkdir("/run/sshd", { recursive: true, mode: 0o755 });
  const identityFile = join(dir, "id_ed25519");
  await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "opsdojo-test", "-f", identityFile]);
  // sshd reads authorized_keys as the user logging in: other users (become tests) need to pass.
  await chmod(dir, 0o711);
  await writeFile(join(dir, "authorized_keys"), await readFile(`${identityFile}.pub`), { mode: 0o644 });
  const hosts: SshHost[] = [];
  const known: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `host${i + 1}`;
    const hostDir = join(dir, name);
    const base = join(hostDir, "base");
    await mkdir(base, { recursive: true });
    await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", join(hostDir, "host_key")]);
    const port = await freePort();
    const config = join(hostDir, "sshd_config");
    await writeFile(
      config,
      [
        `Port ${port}`,
        "ListenAddress 127.0.0.1",
        `HostKey ${join(hostDir, "host_key")}`,
        `PidFile ${join(hostDir, "sshd.pid")}`,
        `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "PermitRootLogin prohibit-password",
        "StrictModes no",
        "UsePAM no",
        "AllowTcpForwarding yes",
        "MaxSessions 64",
        "MaxStartups 64",
        "Subsystem sftp internal-sftp",
        "",
      ].join("\n"),
    );
    const hostKey = (await readFile(join(hostDir, "host_key.pub"), "utf8")).split(" ").slice(0, 2).join(" ");
    known.push(`[127.0.0.1]:${port} ${hostKey}`);
    let child: ChildProcess | undefined;
    const host: SshHost = {
      name,
      port,
      base,
      hostKey,
      async start() {
        if (child !== undefined) return;
        const started = spawn(SSHD, ["-D", "-e", "-f", config], { stdio: ["ignore", "ignore", "pipe"] });
        let log = "";
        started.stderr?.on("data", (d: Buffer) => {
          log = (log + d.toString()).slice(-4000);
        });
        child = started;
        await until(
          async () =>
            started.exitCode !== null
              ? Promise.reject(new Error(`sshd ${name} exited: ${log}`))
              : answers(port),
          `sshd ${name} to answer on port ${port}`,
        );
      },
      /** Like the host going away: the server and every session it forked die at once. */
      async stop() {
        const stopping = child;
        child = undefined;
        if (stopping === undefined || stopping.exitCode !== null || stopping.pid === undefined) return;
        const sessions = await descendants(stopping.pid);
        const exited = new Promise((resolve) => stopping.once("exit", resolve));
        stopping.kill("SIGKILL");
        for (const pid of sessions) {
          try {
            process.kill(pid, "SIGKILL");
          } catch {}
        }
        await exited;
      },
    };
    hosts.push(host);
  }
  await Promise.all(hosts.map((h) => h.start()));
  const knownHosts = join(dir, "known_hosts");
  await writeFile(knownHosts, `${known.join("\n")}\n`, { mode: 0o600 });
  return {
    hosts,
    identityFile,
    knownHosts,
    user: userInfo().username,
    async stop() {
      await Promise.all(hosts.map((h) => h.stop()));
    },
  };
}
