/**
 * "Server unreachable — data from HH:MM": when the API cannot be reached at all (fetch itself
 * fails: the server is down or the network is), a view keeps what it showed but says how old it
 * is, so stale data never passes for live. An error the server answered with is not this.
 */
import { localClock } from "./format.ts";

export function isUnreachable(error: unknown): boolean {
  // fetch rejects with a TypeError exactly when no response came back.
  return error instanceof TypeError;
}

/** The words for the screen; `since` is when the data shown was last read. */
export function unreachableNotice(since: Date | null): string {
  return since
    ? `server unreachable — data from ${localClock(since).slice(0, 5)}`
    : "server unreachable — nothing read yet";
}
