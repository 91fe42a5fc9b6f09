import { readdir, readFile } from "node:fs/promises";

/** Running or sleeping; a process killed but not yet reaped (a zombie) is not alive. */
export async function alive(pid: number): Promise<boolean> {
  try {
    return !/^\d+ \(.*\) [ZX]/.test(await readFile(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

/**
 * Pids of the living processes whose command line contains `marker`: finds what a command left
 * behind without the command having to report its pids first (it may be stopped before it can).
 *
 * @example
 * const marker = uniqueSleep(); // "sleep 1000.48213"
 * … run `${marker} &` somewhere, stop it …
 * await until(async () => (await livingWith(marker)).length === 0, "the sleep to be gone");
 */
export async function livingWith(marker: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, "utf8").catch(() => "");
    if (cmdline.split("\0").join(" ").includes(marker) && (await alive(Number(entry))))
      found.push(Number(entry));
  }
  return found;
}

/** A `sleep` command line no other process on the machine has, to find with `livingWith`. */
export function uniqueSleep(): string {
  return `sleep 1000.${process.pid}${Math.floor(Math.random() * 1e6)}`;
}
