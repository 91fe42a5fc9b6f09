import { readFile } from "node:fs/promises";
import { homedir, userInfo } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { Client, type ConnectConfig } from "ssh2";
import { FileUnreadableError } from "../../core/index.ts";
import {
  HostKeyChangedError,
  HostKeyUnknownError,
  HostUnreachableError,
  RemoteSettingsError,
} from "./errors.ts";
import {
  fingerprintOf,
  type HostKeyRecord,
  judgeHostKey,
  keyTypeLabel,
  keyTypeOf,
  knownHostName,
  readKnownHosts,
  recordHostKey,
} from "./known-hosts.ts";

/** Where and as whom to connect: what an inventory host's connection settings say. */
export interface SshEndpoint {
  /** The name people know the host by (inventory name), used in messages. */
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly user?: string;
  readonly identityFile?: string;
}

export interface SshOptions {
  /** Default `~/.ssh/known_hosts`. */
  readonly knownHostsFile?: string;
  /** Record the key of a host known_hosts does not have (never one that changed). */
  readonly acceptNewHostKeys?: boolean;
  /** The SSH agent's socket; default `SSH_AUTH_SOCK`. */
  readonly agent?: string;
  /** How long the handshake may take (default 20 s): a host that never answers is unreachable. */
  readonly readyTimeoutMs?: number;
  /**
   * Told about each key recorded by `acceptNewHostKeys`, for the run's output and journal:
   * print `describeRecordedHostKey(record)`, so no key is ever accepted silently.
   */
  readonly onHostKeyRecorded?: (endpoint: SshEndpoint, fingerprint: string, record: HostKeyRecord) => void;
}

export function defaultKnownHosts(): string {
  return join(homedir(), ".ssh", "known_hosts");
}

async function privateKeyOf(endpoint: SshEndpoint): Promise<Buffer | undefined> {
  if (endpoint.identityFile === undefined) return undefined;
  const file = endpoint.identityFile.replace(/^~(?=\/)/, homedir());
  try {
    return await readFile(file);
  } catch (error) {
    throw new FileUnreadableError(file, error);
  }
}

/** OpenSSH's own defaults, when neither an identity file nor an agent is given. */
async function defaultKey(): Promise<Buffer | undefined> {
  for (const name of ["id_ed25519", "id_ecdsa", "id_rsa"]) {
    try {
      return await readFile(join(homedir(), ".ssh", name));
    } catch {}
  }
  return undefined;
}

/**
 * Opens one SSH connection, verifying the host's key against known_hosts first: an unknown key
 * is refused (or recorded with `acceptNewHostKeys`), a changed or revoked one always refused.
 * `sock` carries the connection through a bastion.
 */
export async function connectSsh(
  endpoint: SshEndpoint,
  options: SshOptions,
  sock?: Readable,
): Promise<Client> {
  const knownHosts = options.knownHostsFile ?? defaultKnownHosts();
  const entries = await readKnownHosts(knownHosts);
  const privateKey =
    (await privateKeyOf(endpoint)) ??
    ((options.agent ?? process.env.SSH_AUTH_SOCK) ? undefined : await defaultKey());
  const agent = options.agent ?? process.env.SSH_AUTH_SOCK;
  let refusal: Error | undefined;
  const client = new Client();
  const config: ConnectConfig = {
    host: endpoint.host,
    port: endpoint.port,
    username: endpoint.user ?? userInfo().username,
    readyTimeout: options.readyTimeoutMs ?? 20_000,
    keepaliveInterval: 15_000,
    ...(privateKey === undefined ? {} : { privateKey }),
    ...(agent === undefined || agent === "" ? {} : { agent }),
    ...(sock === undefined ? {} : { sock }),
    hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
      const fingerprint = fingerprintOf(key);
      const verdict = judgeHostKey(entries, endpoint.host, endpoint.port, key);
      if (verdict === "known") return verify(true);
      if (verdict === "unknown" && options.acceptNewHostKeys === true) {
        // Recorded before the handshake goes on: a key is never used without being on file.
        recordHostKey(knownHosts, endpoint.host, endpoint.port, key).then(
          (outcome) => {
            if (outcome === "recorded") {
              const record: HostKeyRecord = {
                name: endpoint.name,
                recordedAs: knownHostName(endpoint.host, endpoint.port),
                keyType: keyTypeLabel(keyTypeOf(key)),
                fingerprint,
                file: knownHosts,
              };
              options.onHostKeyRecorded?.(endpoint, fingerprint, record);
            }
            if (outcome === "recorded" || outcome === "known") return verify(true);
            refusal = new HostKeyChangedError(endpoint.name, fingerprint, knownHosts, outcome === "revoked");
            verify(false);
          },
          (error: unknown) => {
            refusal = new RemoteSettingsError(
              endpoint.name,
              `cannot record its host key in ${knownHosts}: ${(error as Error).message}`,
            );
            verify(false);
          },
        );
        return;
      }
      refusal =
        verdict === "unknown"
          ? new HostKeyUnknownError(endpoint.name, fingerprint, knownHosts)
          : new HostKeyChangedError(endpoint.name, fingerprint, knownHosts, verdict === "revoked");
      verify(false);
    },
  };
  await new Promise<void>((resolve, reject) => {
    client.once("ready", () => resolve());
    client.once("error", (error: Error & { level?: string }) => {
      const reason =
        error.level === "client-authentication"
          ? `${config.username} was not let in (no key the host accepts; give identity_file or load the key into ssh-agent)`
          : error.message;
      reject(refusal ?? new HostUnreachableError(endpoint.name, reason, { cause: error }));
    });
    client.connect(config);
  });
  return client;
}
