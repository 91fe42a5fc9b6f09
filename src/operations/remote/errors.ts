import { OpsdojoError } from "../../core/index.ts";

/** The host offered a key known_hosts does not have: never accepted silently. */
export class HostKeyUnknownError extends OpsdojoError {
  constructor(host: string, fingerprint: string, knownHosts: string) {
    super(
      "host_key_unknown",
      `${host} is not in ${knownHosts} (its key is ${fingerprint}). Check the fingerprint with the host's owner, then add it (ssh-keyscan, or run once with --accept-new-host-keys, which records it).`,
      { kind: "invalid", details: { host, fingerprint, knownHosts } },
    );
  }
}

/** The host's key differs from the one recorded: possibly someone in the middle. Always refused. */
export class HostKeyChangedError extends OpsdojoError {
  constructor(host: string, fingerprint: string, knownHosts: string, revoked = false) {
    super(
      "host_key_changed",
      revoked
        ? `${host} offered a key marked @revoked in ${knownHosts} (${fingerprint}); refusing to connect.`
        : `${host} offered a key (${fingerprint}) that differs from the one in ${knownHosts}: someone may be in the middle, or the host was rebuilt. Refusing to connect; if the change is expected, remove the old line (ssh-keygen -R) and add the new key.`,
      { kind: "conflict", details: { host, fingerprint, knownHosts } },
    );
  }
}

/** The host cannot be reached or refuses us; trying again later may help. */
export class HostUnreachableError extends OpsdojoError {
  constructor(host: string, reason: string, options: { cause?: unknown } = {}) {
    super("host_unreachable", `cannot reach ${host}: ${reason}`, {
      kind: "unavailable",
      retryable: true,
      cause: options.cause,
      details: { host },
    });
  }
}

/** A setting needed to reach a host is missing or unusable (a key file, a bastion name). */
export class RemoteSettingsError extends OpsdojoError {
  constructor(host: string, problem: string) {
    super("remote_settings_invalid", `${host}: ${problem}`, { kind: "invalid", details: { host } });
  }
}

/**
 * sudo did not let the login user become the wanted user: a wrong or missing password, or no
 * sudoers rule. sudo's own words are kept (they never hold the password, which sudo reads from
 * its askpass helper); retrying with the same settings cannot help.
 */
export class BecomeFailedError extends OpsdojoError {
  constructor(host: string, user: string, reason: string) {
    super(
      "become_failed",
      `${host}: could not become ${user} with sudo (${reason}). Check the password that become.password_param names, and that the login user may run commands as ${user} (sudo -l on the host).`,
      { kind: "invalid", details: { host, user } },
    );
  }
}
