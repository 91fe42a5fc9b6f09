import { randomBytes } from "node:crypto";
import { currentOwner } from "../../operations/index.ts";

/**
 * The lease owner of a session a server node hosts: `<host>:<pid>/gd-<hex>`. Told apart from a
 * `gameday start` process (`<host>:<pid>`), whose sessions wait for `gameday restore`, and from a
 * server's run executor (`<host>:<pid>/<hex>`), so a surviving node restores only what a dead
 * node hosted and the executor never takes over a session's faults.
 */
export function hostedSessionOwner(): string {
  return `${currentOwner()}/gd-${randomBytes(4).toString("hex")}`;
}

export function isHostedSessionOwner(owner: string): boolean {
  return /^.*:\d+\/gd-[0-9a-f]+$/.test(owner);
}
