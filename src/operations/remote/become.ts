import { RemoteSettingsError } from "./errors.ts";

/** Who commands and file actions run as on the host, through sudo (`become` on a target). */
export interface Become {
  readonly user: string;
  /** The login user's sudo password; without one, sudo must not ask (NOPASSWD, or root). */
  readonly password?: string;
}

/** A target's `become` as operation/v1 writes it: `true` (root) or `{ user?, password_param? }`. */
export type BecomeSetting = true | { readonly user?: string; readonly password_param?: string };

/**
 * The `Become` of a target's setting: `true` is root; `password_param` names the secret param
 * whose value (given by `paramValue`) is the login user's sudo password.
 *
 * @example becomeFrom({ user: "postgres", password_param: "sudo_password" }, (p) => params[p])
 */
export function becomeFrom(
  host: string,
  setting: BecomeSetting | undefined,
  paramValue: (name: string) => string | undefined,
): Become | undefined {
  if (setting === undefined) return undefined;
  if (setting === true) return { user: "root" };
  const user = setting.user ?? "root";
  if (setting.password_param === undefined) return { user };
  const password = paramValue(setting.password_param);
  if (password === undefined)
    throw new RemoteSettingsError(
      host,
      `become.password_param names "${setting.password_param}", which has no value: pass --param ${setting.password_param}=… or give the param a source`,
    );
  return { user, password };
}

/** Printed to stderr by the wrapped command once sudo has let it run (and stripped again). */
export const BECOME_MARKER = "opsdojo-become-ok";

/**
 * The variable the password travels in, from the first line of the channel's stdin to sudo's
 * askpass helper. `printenv` is that helper: sudo runs it as `printenv PROMPT`, so a prompt
 * naming the variable makes it print the password. The password is thus never on a command
 * line (where `ps` would show it) nor on the command's stdin (where the command could read it),
 * and a wrong one makes sudo fail at once instead of reading stdin for another try.
 */
const PASSWORD_VARIABLE = "OPSDOJO_BECOME_PASSWORD";

function quote(word: string): string {
  return `'${word.replace(/'/g, "'\\''")}'`;
}

/** Refuses what sudo or the stdin protocol cannot carry, before anything reaches the host. */
export function checkBecome(host: string, become: Become): void {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*\$?$/.test(become.user) && !/^#[0-9]+$/.test(become.user))
    throw new RemoteSettingsError(host, `"${become.user}" is not a user name sudo can take`);
  if (become.password?.includes("\n") === true || become.password?.includes("\0") === true)
    throw new RemoteSettingsError(host, "a become password cannot hold a line break or a NUL byte");
}

/**
 * The line the login shell runs: `program` (shell words) under `sudo -u USER`. With a password,
 * the caller writes it, and a newline, as the first thing on the channel's stdin; the rest of
 * stdin is the program's.
 */
export function sudoCommand(become: Become, program: string): string {
  const user = quote(become.user);
  if (become.password === undefined) return `exec sudo -n -u ${user} -- ${program}`;
  return (
    `IFS= read -r ${PASSWORD_VARIABLE} || exit 125; export ${PASSWORD_VARIABLE}; ` +
    `SUDO_ASKPASS="$(command -v printenv)"; export SUDO_ASKPASS; ` +
    `exec sudo -A -p ${PASSWORD_VARIABLE} -u ${user} -- ${program}`
  );
}

/** What to write first on the channel's stdin for `sudoCommand` (nothing without a password). */
export function becomePreamble(become: Become): string {
  return become.password === undefined ? "" : `${become.password}\n`;
}

/** sudo's last words, for the error: the reason, never more than a line. */
export function sudoReason(stderr: string): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "");
  const last = lines[lines.length - 1] ?? "sudo said nothing";
  return last.length > 200 ? `${last.slice(0, 200)}…` : last;
}
