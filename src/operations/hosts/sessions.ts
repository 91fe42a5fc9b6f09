import type { ParamValue, Target } from "../model/index.ts";
import { becomeFrom, type PoolOptions, type SshPool, type SshTarget } from "../remote/index.ts";
import type { Become, Host, RemoteOptions } from "./model.ts";
import { SshHost } from "./ssh-host.ts";

/** A target's SSH settings, or undefined for a local target (one without `host`). */
export function sshTargetOf(target: Target): SshTarget | undefined {
  if (target.host === undefined) return undefined;
  return {
    name: target.name,
    host: target.host,
    port: target.port ?? 22,
    ...(target.user === undefined ? {} : { user: target.user }),
    ...(target.identity_file === undefined ? {} : { identityFile: target.identity_file }),
    ...(target.jump === undefined ? {} : { jump: target.jump }),
  };
}

/**
 * `become: true` or `{user?, password_param?}`, with the password read from its secret param (a
 * param without a value is a clear error naming it, from the remote layer's `becomeFrom`).
 */
export function becomeOf(target: Target, params: Readonly<Record<string, ParamValue>>): Become | undefined {
  const become = target.become;
  if (become === undefined || become === false) return undefined;
  return becomeFrom(target.name, become, (name) => {
    const value = params[name];
    return typeof value === "string" ? value : undefined;
  });
}

/**
 * The hosts of one run: one SSH pool (one connection per host, reused by every step, batches in
 * parallel on it), a {@link Host} per remote target, everything closed when the run ends. A
 * target's `jump` may name another target, whose settings reach the bastion.
 */
export class HostSessions {
  readonly #poolOptions: PoolOptions;
  /** Opened on the first use: a run without a target over SSH never loads the SSH client. */
  #pool: Promise<SshPool> | undefined;
  readonly #hosts = new Map<string, Host>();
  readonly #targets: ReadonlyMap<string, Target>;
  readonly #params: Readonly<Record<string, ParamValue>>;

  constructor(
    targets: readonly Target[],
    params: Readonly<Record<string, ParamValue>>,
    options: RemoteOptions = {},
  ) {
    this.#targets = new Map(targets.map((t) => [t.name, t]));
    this.#params = params;
    const { onHostKeyRecorded, ...ssh } = options;
    this.#poolOptions = {
      ...ssh,
      ...(onHostKeyRecorded
        ? { onHostKeyRecorded: (_endpoint, _fingerprint, record) => onHostKeyRecorded(record) }
        : {}),
      resolveJump: (name) => {
        const bastion = this.#targets.get(name);
        return bastion === undefined ? undefined : sshTargetOf(bastion);
      },
    };
  }

  #poolNow(): Promise<SshPool> {
    this.#pool ??= import("../remote/index.ts").then(({ SshPool }) => new SshPool(this.#poolOptions));
    return this.#pool;
  }

  /** The target's host, or undefined when the target is this machine. */
  hostOf(target: Target | string): Host | undefined {
    const t = typeof target === "string" ? this.#targets.get(target) : target;
    if (t === undefined) return undefined;
    const cached = this.#hosts.get(t.name);
    if (cached !== undefined) return cached;
    const ssh = sshTargetOf(t);
    if (ssh === undefined) return undefined;
    const host = new SshHost(() => this.#poolNow(), ssh, becomeOf(t, this.#params));
    this.#hosts.set(t.name, host);
    return host;
  }

  close(): void {
    void this.#pool?.then((pool) => pool.close());
  }
}
