import type { Duplex } from "node:stream";
import type { Client } from "ssh2";
import {
  execRemote,
  type RemoteExecOptions,
  type RemoteExecResult,
  RemoteFs,
  type SshPool,
  type SshTarget,
} from "../remote/index.ts";
import type { FileSystem } from "./file-system.ts";
import type { Become, Host } from "./model.ts";
import { remoteFileSystem } from "./remote-fs.ts";

/**
 * A target over SSH. The connection comes from the run's pool each time, so a host that dropped
 * is reconnected by the next use (undo retrying it); the SFTP session is kept per connection.
 */
export class SshHost implements Host {
  readonly name: string;
  readonly address: string;
  readonly become?: Become;
  readonly #pool: () => Promise<SshPool>;
  readonly #target: SshTarget;
  #session: { client: Client; fs: Promise<FileSystem> } | undefined;

  constructor(pool: () => Promise<SshPool>, target: SshTarget, become?: Become) {
    this.#pool = pool;
    this.#target = target;
    this.name = target.name;
    this.address = `${target.user ?? ""}@${target.host}:${target.port}`;
    if (become !== undefined) this.become = become;
  }

  fs(): Promise<FileSystem> {
    return this.#pool()
      .then((pool) => pool.get(this.#target))
      .then((client) => {
        if (this.#session?.client === client) return this.#session.fs;
        let alive = true;
        client.once("close", () => {
          alive = false;
        });
        // With `become`, the SFTP session is the become user's (sftp-server under sudo).
        const fs = RemoteFs.open(client, this.name, this.become ? { become: this.become } : {}).then(
          (remote) =>
            // As root, an owner given back is one the host takes.
            remoteFileSystem(
              remote,
              this.name,
              () => alive,
              (this.become?.user ?? this.#target.user) === "root",
            ),
        );
        this.#session = { client, fs };
        fs.catch(() => {
          if (this.#session?.fs === fs) this.#session = undefined;
        });
        return fs;
      });
  }

  async exec(command: string, options: RemoteExecOptions = {}): Promise<RemoteExecResult> {
    // With `become`, the remote layer runs the command under sudo as that user.
    const withBecome: RemoteExecOptions = { ...options, ...(this.become ? { become: this.become } : {}) };
    return execRemote(
      await this.#pool().then((pool) => pool.get(this.#target)),
      this.name,
      command,
      withBecome,
    );
  }

  async connect(host: string, port: number): Promise<Duplex> {
    const client = await this.#pool().then((pool) => pool.get(this.#target));
    return new Promise<Duplex>((resolve, reject) => {
      client.forwardOut("127.0.0.1", 0, host, port, (error, stream) => {
        if (error)
          reject(
            Object.assign(new Error(`${this.name} cannot open ${host}:${port}: ${error.message}`), {
              code: "ECONNREFUSED",
            }),
          );
        else resolve(stream);
      });
    });
  }
}
