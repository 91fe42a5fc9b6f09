import type { EC2Client, Tag } from "@aws-sdk/client-ec2";
import { OpsdojoError } from "../../../core/index.ts";
import { ec2Client } from "./client.ts";
import { Ec2ConflictError, Ec2RequestError } from "./errors.ts";

/** Tags opsdojo writes on what it creates or sets aside, so a retried step finds its own work. */
export const TAG = {
  /** On what a run created: the step's token, so act and undo find it again after a crash. */
  token: "opsdojo:token",
  /** On what a run pseudo-deleted: the run id; really deleted at `runs commit`. */
  pending: "opsdojo:pending",
  /** On a resource an undo recreated: the id it replaces. */
  restores: "opsdojo:restores",
  /** On the snapshot taken before a volume was deleted: the volume's id. */
  snapshotOf: "opsdojo:snapshot-of",
} as const;

/** One EC2 call; what it throws becomes an Ec2RequestError naming the resource. */
export async function call<T>(
  action: string,
  resource: string,
  doing: string,
  send: (client: EC2Client) => Promise<T>,
): Promise<T> {
  try {
    return await send(ec2Client());
  } catch (error) {
    if (error instanceof OpsdojoError) throw error;
    throw new Ec2RequestError(action, resource, doing, error);
  }
}

/** EC2 tags as a sorted map; opsdojo's own bookkeeping tags are kept (the tests compare them). */
export function tagsOf(tags: readonly Tag[] | undefined): Record<string, string> {
  const pairs = (tags ?? []).map((t) => [String(t.Key), t.Value ?? ""] as const);
  return Object.fromEntries(pairs.sort(([a], [b]) => a.localeCompare(b)));
}

export const toTags = (map: Record<string, string | undefined>): Tag[] =>
  Object.entries(map).map(([Key, Value]) => (Value === undefined ? { Key } : { Key, Value }));

const pause = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });

/**
 * Ask until the state is reached: EC2 changes states asynchronously (a stopping instance, a
 * pending snapshot). Bounded by attempts, not by a clock reading; moto answers at once.
 */
export async function waitFor<T>(
  action: string,
  resource: string,
  what: string,
  probe: () => Promise<T | undefined>,
  options: { attempts?: number; intervalMs?: number; signal?: AbortSignal } = {},
): Promise<T> {
  const attempts = options.attempts ?? 120;
  for (let i = 0; i < attempts; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    if (options.signal?.aborted) break;
    await pause(options.intervalMs ?? 5_000, options.signal);
  }
  throw new Ec2ConflictError(action, resource, `gave up waiting for ${what}`);
}
