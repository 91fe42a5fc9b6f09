import type { Command } from "commander";
import { describeRecordedHostKey, type RemoteOptions } from "../../operations/index.ts";
import type { Session } from "../context.ts";

/** How `run`, `plan` and `runs undo` reach targets over SSH (docs/operations.md, Targets over SSH). */
export interface SshFlags {
  readonly knownHosts?: string;
  readonly acceptNewHostKeys?: boolean;
}

/** The flags as the engine takes them; each host key accepted is said on stderr, one line per host. */
export function remoteOptionsOf(flags: SshFlags, session: Pick<Session, "warnings">): RemoteOptions {
  return {
    ...(flags.knownHosts === undefined ? {} : { knownHostsFile: flags.knownHosts }),
    ...(flags.acceptNewHostKeys
      ? {
          acceptNewHostKeys: true,
          onHostKeyRecorded: (record) => session.warnings.push(describeRecordedHostKey(record)),
        }
      : {}),
  };
}

/** `--known-hosts` and `--accept-new-host-keys`, the same on every command that reaches hosts. */
export function withSshFlags(command: Command): Command {
  return command
    .option(
      "--known-hosts <file>",
      "known_hosts to verify SSH targets' host keys against (default ~/.ssh/known_hosts)",
    )
    .option(
      "--accept-new-host-keys",
      "record the key of an SSH target known_hosts does not have (never a changed one)",
    );
}
