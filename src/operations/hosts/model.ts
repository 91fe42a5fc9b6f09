import type { Duplex } from "node:stream";
import type { Become, HostKeyRecord, RemoteExecOptions, RemoteExecResult } from "../remote/index.ts";
import type { FileSystem } from "./file-system.ts";

/** `become:` as the remote layer takes it: run as `user` (default root) through sudo. */
export type { Become } from "../remote/index.ts";

/**
 * A target reached over SSH, as actions and checks use it: its file system, commands on it, and
 * connections opened from it. One per target and run; the connection underneath is the run's
 * pool's, shared by every step on that host.
 */
export interface Host {
  /** The target's name (the inventory's host name). */
  readonly name: string;
  /** `user@host:port`: what locks and messages name. */
  readonly address: string;
  readonly become?: Become;
  fs(): Promise<FileSystem>;
  /** A command on the host, in its own process group there (remote/exec.ts). */
  exec(command: string, options?: RemoteExecOptions): Promise<RemoteExecResult>;
  /** A TCP connection opened by the host (checks with `from: target`). */
  connect(host: string, port: number): Promise<Duplex>;
}

/** How a run reaches its hosts: `--known-hosts`, `--accept-new-host-keys`, the agent. */
export interface RemoteOptions {
  /** Default `~/.ssh/known_hosts`. */
  readonly knownHostsFile?: string;
  /** Record the key of a host known_hosts does not have (never one that changed). */
  readonly acceptNewHostKeys?: boolean;
  /** The SSH agent's socket; default `SSH_AUTH_SOCK`; "" for none. */
  readonly agent?: string;
  /** How long a handshake may take before the host counts as unreachable (default 20 s). */
  readonly readyTimeoutMs?: number;
  /** Told about each host key recorded under `acceptNewHostKeys` (describeRecordedHostKey says it). */
  readonly onHostKeyRecorded?: (record: HostKeyRecord) => void;
}
