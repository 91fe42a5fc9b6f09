import { hostname } from "node:os";

export { isServerOwner } from "../journal/index.ts";

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
