import type { Readable } from "node:stream";
import type { Client } from "ssh2";
import { connectSsh, type SshEndpoint, type SshOptions } from "./connect.ts";
import { HostUnreachableError, RemoteSettingsError } from "./errors.ts";

/** A host to reach, perhaps through a bastion (another host's name, or `user@host:port`). */
export interface SshTarget extends SshEndpoint {
  readonly jump?: string;
}

export interface PoolOptions extends SshOptions {
  /** Finds a bastion named by `jump` among the inventory's hosts. */
  readonly resolveJump?: (name: string) => SshTarget | undefined;
}

const MAX_JUMPS = 4;

/** `user@host:port`, `host:port` or `host` as a bastion written inline. */
function parseJump(jump: string): SshTarget {
  const m = /^(?:([^@]+)@)?(\[[^\]]+\]|[^:]+)(?::([0-9]+))?$/.exec(jump);
  if (m === null) throw new RemoteSettingsError(jump, "a jump host is written user@host:port");
  const host = (m[2] ?? "").replace(/^\[|\]$/g, "");
  return {
    name: jump,
    host,
    port: m[3] === undefined ? 22 : Number(m[3]),
    ...(m[1] === undefined ? {} : { user: m[1] }),
  };
}

/**
 * One SSH connection per host, reused by every step and channel of a run (SSH multiplexes
 * channels on one connection, so steps in parallel on one host share it). A connection that
 * drops is forgotten, so the next use reconnects: undo can retry a host that came back.
 */
export class SshPool {
  readonly #options: PoolOptions;
  readonly #clients = new Map<string, Promise<Client>>();

  constructor(options: PoolOptions = {}) {
    this.#options = options;
  }

  get(target: SshTarget): Promise<Client> {
    return this.#get(target, 0);
  }

  #get(target: SshTarget, depth: number): Promise<Client> {
    const key = `${target.user ?? ""}@${target.host}:${target.port}>${target.jump ?? ""}`;
    const cached = this.#clients.get(key);
    if (cached !== undefined) return cached;
    const opening = this.#open(target, depth);
    this.#clients.set(key, opening);
    opening.then(
      (client) => {
        const forget = () => {
          if (this.#clients.get(key) === opening) this.#clients.delete(key);
        };
        client.once("close", forget);
        client.once("error", forget);
      },
      () => this.#clients.delete(key),
    );
    return opening;
  }

  async #open(target: SshTarget, depth: number): Promise<Client> {
    if (target.jump === undefined) return connectSsh(target, this.#options);
    if (depth >= MAX_JUMPS)
      throw new RemoteSettingsError(target.name, `more than ${MAX_JUMPS} jump hosts in a row (a loop?)`);
    const bastion = this.#options.resolveJump?.(target.jump) ?? parseJump(target.jump);
    const via = await this.#get(bastion, depth + 1);
    const sock = await new Promise<Readable>((resolve, reject) => {
      via.forwardOut("127.0.0.1", 0, target.host, target.port, (error, stream) => {
        if (error)
          reject(
            new HostUnreachableError(target.name, `through ${bastion.name}: ${error.message}`, {
              cause: error,
            }),
          );
        else resolve(stream);
      });
    });
    return connectSsh(target, this.#options, sock);
  }

  /** Closes every connection, and each still opening once it opens: nothing here waits for a host. */
  close(): void {
    const clients = [...this.#clients.values()];
    this.#clients.clear();
    for (const opening of clients)
      opening.then(
        (client) => client.end(),
        () => {},
      );
  }
}
