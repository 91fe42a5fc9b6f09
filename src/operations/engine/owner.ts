import { hostname } from "node:os";

/** How a run's lease names its process: `<host>:<pid>`. */
export function currentOwner(): string {
  return `${hostname()}:${process.pid}`;
}

/**
 * Whether an owner is a process of this host that no longer exists — then its runs are
 * interrupted now, not when the lease runs out. Owners on other hosts are left to their lease.
 */
export function ownerIsDeadHere(owner: string): boolean {
  // `<host>:<pid>`, or a server's executor `<host>:<pid>/<hex>` or hosted session
  // `<host>:<pid>/gd-<hex>` (one process, several owners).
  const m = /^(.*):(\d+)(?:\/[0-9a-z-]+)?$/.exec(owner);
  if (!m || m[1] !== hostname()) return false;
  const pid = Number(m[2]);
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/**
 * Whether an owner is a server node's executor (`<host>:<pid>/<hex>`) rather than a command's
 * process (`<host>:<pid>`: `opsdojo run`, a game-day session): only a server's runs are taken over
 * by the surviving nodes (`on_node_loss`); a command's are left to the person who started it.
 */
export function isServerOwner(owner: string): boolean {
  return /^.*:\d+\/[0-9a-f]+$/.test(owner);
}
