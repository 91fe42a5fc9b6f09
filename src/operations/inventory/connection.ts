import { InvalidInputError } from "../../core/index.ts";
import type { InventoryHost, InventoryValue } from "./model.ts";

/** The host settings inventory/v1 names directly (Ansible spells them `ansible_*`). */
export const CONNECTION_KEYS = [
  "host",
  "port",
  "user",
  "identity_file",
  "jump",
  "become",
  "become_user",
  "become_password",
  "connection",
] as const;

/** How to reach one host, whichever inventory format named it. */
export interface HostConnection {
  readonly name: string;
  readonly connection: "ssh" | "local";
  readonly host: string;
  readonly port: number;
  readonly user?: string;
  readonly identityFile?: string;
  /** A bastion: another host's name, or `user@host:port`. */
  readonly jump?: string;
  readonly become: boolean;
  readonly becomeUser?: string;
  /** A secret source (`env:NAME` or `file:PATH`), never the password itself. */
  readonly becomePassword?: string;
}

function first(
  vars: Readonly<Record<string, InventoryValue>>,
  ...keys: string[]
): InventoryValue | undefined {
  for (const key of keys) if (vars[key] !== undefined && vars[key] !== null) return vars[key];
  return undefined;
}

function text(value: InventoryValue | undefined): string | undefined {
  return value === undefined || value === null || typeof value === "object" ? undefined : String(value);
}

/** Ansible's truthy spellings: yes, true, on, 1 (any case). */
function truthy(value: InventoryValue | undefined): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value !== 0;
  return typeof value === "string" && /^(yes|true|on|1|y)$/i.test(value);
}

/** `-o ProxyJump=bastion` or `-J bastion` in `ansible_ssh_common_args`. */
function jumpFromArgs(args: string | undefined): string | undefined {
  if (args === undefined) return undefined;
  return /(?:-o\s*ProxyJump=|-J\s+)(\S+)/.exec(args)?.[1];
}

/**
 * The connection settings of a resolved host: opsdojo's names first, then Ansible's
 * (`ansible_host`, `ansible_port`, `ansible_user`, `ansible_ssh_private_key_file`,
 * `ansible_become`, `ansible_become_user`, a ProxyJump in `ansible_ssh_common_args`).
 */
export function connectionOf(host: InventoryHost): HostConnection {
  const v = host.vars;
  const port = Number(first(v, "port", "ansible_port", "ansible_ssh_port") ?? 22);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new InvalidInputError(`host ${host.name}: the port must be a whole number from 1 to 65535`, {
      host: host.name,
    });
  }
  const identityFile = text(
    first(v, "identity_file", "ansible_ssh_private_key_file", "ansible_private_key_file"),
  );
  const user = text(first(v, "user", "ansible_user", "ansible_ssh_user"));
  const jump =
    text(first(v, "jump")) ??
    jumpFromArgs(text(first(v, "ansible_ssh_common_args", "ansible_ssh_extra_args")));
  const becomeUser = text(first(v, "become_user", "ansible_become_user"));
  const becomePassword = text(first(v, "become_password"));
  return {
    name: host.name,
    connection: text(first(v, "connection", "ansible_connection")) === "local" ? "local" : "ssh",
    host: text(first(v, "host", "ansible_host", "ansible_ssh_host")) ?? host.name,
    port,
    ...(user === undefined ? {} : { user }),
    ...(identityFile === undefined ? {} : { identityFile }),
    ...(jump === undefined ? {} : { jump }),
    become: truthy(first(v, "become", "ansible_become")),
    ...(becomeUser === undefined ? {} : { becomeUser }),
    ...(becomePassword === undefined ? {} : { becomePassword }),
  };
}
