import type { Client, ClientChannel } from "ssh2";
import {
  BECOME_MARKER,
  type Become,
  becomePreamble,
  checkBecome,
  sudoCommand,
  sudoReason,
} from "./become.ts";
import { BecomeFailedError, HostUnreachableError } from "./errors.ts";

export interface RemoteExecOptions {
  /** Variables exported before the command (sshd's AcceptEnv is usually closed, so not via SSH). */
  readonly env?: Readonly<Record<string, string>>;
  /** Aborting stops the command: SIGTERM to its process group on the host, SIGKILL after `graceMs`. */
  readonly signal?: AbortSignal;
  readonly graceMs?: number;
  /** Most bytes kept of each of stdout and stderr (default 1 MiB). */
  readonly maxOutput?: number;
  /** Run as another user through sudo (the watchdog too, so it may signal the command). */
  readonly become?: Become;
}

export interface RemoteExecResult {
  readonly code: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly aborted: boolean;
}

/** Single-quotes a word for a POSIX shell. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, "'\\''")}'`;
}

/**
 * The command as the host's login shell gets it. sshd makes the session's shell a session and
 * group leader, so `$$` is the process group of everything the command starts. A watchdog in
 * that group reads the channel's stdin: each line is a signal for the group, and the end of it
 * (opsdojo closed the channel, or died and the connection dropped) kills what is left — so a
 * command cannot outlive its step, as with local commands. The command's own stdin is empty.
 */
export function wrapRemoteCommand(
  command: string,
  env: Readonly<Record<string, string>> = {},
  become?: Become,
): string {
  for (const name of Object.keys(env)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new RangeError(`"${name}" is not a variable name`);
  }
  const exports = Object.entries(env)
    .map(([k, v]) => `export ${k}=${shellQuote(v)}; `)
    .join("");
  // A background list's stdin is /dev/null unless redirected, hence the copy on fd 3.
  const inner =
    "exec 3<&0; " +
    '(while read -r s; do kill -s "$s" -- "-$$" 2>/dev/null; done; kill -s KILL -- "-$$" 2>/dev/null) <&3 >/dev/null 2>&1 & ' +
    `${exports}exec sh -c "$1" opsdojo-step </dev/null 3<&-`;
  if (become === undefined) return `exec sh -c ${shellQuote(inner)} opsdojo-remote ${shellQuote(command)}`;
  // Under sudo the shell is not sshd's session leader any more: setsid makes it lead a group
  // again, and the marker tells sudo's refusals (before it) from the command's own stderr.
  const marked = `printf '%s\\n' ${BECOME_MARKER} >&2; ${inner}`;
  return sudoCommand(become, `setsid -w sh -c ${shellQuote(marked)} opsdojo-remote ${shellQuote(command)}`);
}

function collector(max: number) {
  const chunks: Buffer[] = [];
  let size = 0;
  return {
    add(chunk: Buffer) {
      chunks.push(chunk);
      size += chunk.length;
      while (size > max && chunks.length > 1) size -= (chunks.shift() as Buffer).length;
    },
    text: () => {
      const all = Buffer.concat(chunks);
      return all.subarray(Math.max(0, all.length - max)).toString("utf8");
    },
  };
}

/** Runs a command on a host (see `wrapRemoteCommand`). Throws only when no channel can be opened. */
export async function execRemote(
  client: Client,
  host: string,
  command: string,
  options: RemoteExecOptions = {},
): Promise<RemoteExecResult> {
  const become = options.become;
  if (become !== undefined) checkBecome(host, become);
  const channel = await new Promise<ClientChannel>((resolve, reject) => {
    client.exec(wrapRemoteCommand(command, options.env, become), (error, stream) => {
      if (error)
        reject(new HostUnreachableError(host, `cannot start a command: ${error.message}`, { cause: error }));
      else resolve(stream);
    });
  });
  const max = options.maxOutput ?? 1024 * 1024;
  const stdout = collector(max);
  const stderr = collector(max);
  let aborted = false;
  let killTimer: NodeJS.Timeout | undefined;
  const stop = () => {
    aborted = true;
    channel.write("TERM\n");
    killTimer = setTimeout(() => channel.end(), options.graceMs ?? 2_000);
  };
  if (options.signal?.aborted) stop();
  else options.signal?.addEventListener("abort", stop, { once: true });
  if (become !== undefined) channel.write(becomePreamble(become));
  // Until the marker, stderr is sudo's; after it, the command's.
  let beforeMarker = become === undefined ? undefined : "";
  channel.on("data", (chunk: Buffer) => stdout.add(chunk));
  channel.stderr.on("data", (chunk: Buffer) => {
    if (beforeMarker === undefined) return stderr.add(chunk);
    beforeMarker += chunk.toString("utf8");
    const at = beforeMarker.indexOf(`${BECOME_MARKER}\n`);
    if (at < 0) return;
    const rest = beforeMarker.slice(at + BECOME_MARKER.length + 1);
    beforeMarker = undefined;
    if (rest !== "") stderr.add(Buffer.from(rest));
  });
  // When the command exits, ending stdin lets the watchdog kill what it left in its group.
  channel.on("exit", () => channel.end());
  const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => {
    channel.on("close", (c: number | null | undefined, s: string | null | undefined) =>
      resolve([c ?? null, s ?? null]),
    );
  });
  clearTimeout(killTimer);
  options.signal?.removeEventListener("abort", stop);
  if (become !== undefined && beforeMarker !== undefined && !aborted)
    throw new BecomeFailedError(host, become.user, sudoReason(beforeMarker));
  return { code, signal, stdout: stdout.text(), stderr: stderr.text(), aborted };
}
