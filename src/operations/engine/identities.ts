import type { Journal, JournalEvent, StepKey } from "../journal/index.ts";
import type { IdentityChange } from "../providers/provider.ts";
import type { Recorded } from "../reconcile/index.ts";

/** The journal event an undo writes when it brought a resource back under a new id. */
export const IDENTITY_EVENT = "identity.changed";

/** One id change of a run, as `runs show` lists it. */
export interface IdentityRecord extends IdentityChange {
  readonly target: string;
  readonly step_index: number;
}

/** Every id change a run's journal records, oldest first. */
export function identityChanges(events: readonly JournalEvent[]): IdentityRecord[] {
  return events
    .filter((e) => e.type === IDENTITY_EVENT)
    .map((e) => ({
      target: String(e.data.target),
      step_index: Number(e.data.step_index),
      resource: String(e.data.resource),
      from: String(e.data.from),
      to: String(e.data.to),
    }));
}

/**
 * Old id → new id for one run. Undo goes newest step first, so a step undone later may name a
 * resource an earlier undo recreated (a volume attached by one step and deleted by the next:
 * the attach is undone on the volume the delete's undo made): `rewrite` gives it the new id. Only whole string values equal to an old id are
 * replaced — and keys equal to one (a captured state by resource id: `ec2.create_tags`): cloud
 * ids are unique opaque tokens, while text that merely contains one (a description) is not a
 * reference to follow.
 */
export class IdentityMap {
  readonly #to = new Map<string, string>();

  constructor(changes: readonly IdentityChange[] = []) {
    for (const c of changes) this.#to.set(c.from, c.to);
  }

  get size(): number {
    return this.#to.size;
  }

  /** The id a resource has now: follows a chain (recreated twice) to its end. */
  resolve(id: string): string {
    let current = id;
    for (let hops = 0; hops <= this.#to.size; hops++) {
      const next = this.#to.get(current);
      if (next === undefined) return current;
      current = next;
    }
    return current;
  }

  rewrite<T>(value: T): T {
    if (this.#to.size === 0) return value;
    return this.#walk(value) as T;
  }

  /**
   * A resource's name (`volume vol-0abc`, `tags of vol-0abc`) with an old id that stands in it as
   * one word replaced: names are ours, built from ids, so a word equal to an old id is that id.
   */
  rename(name: string): string {
    if (this.#to.size === 0) return name;
    return name
      .split(" ")
      .map((word) => (this.#to.has(word) ? this.resolve(word) : word))
      .join(" ");
  }

  #walk(value: unknown): unknown {
    if (typeof value === "string") return this.#to.has(value) ? this.resolve(value) : value;
    if (Array.isArray(value)) return value.map((v) => this.#walk(v));
    if (value !== null && typeof value === "object")
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [this.#to.has(k) ? this.resolve(k) : k, this.#walk(v)]),
      );
    return value;
  }
}

/**
 * A step's recorded states (reconcile's pre and post) under the ids its resources have now, so
 * that a reconcile which finds a resource under its new id (a volume an earlier undo recreated)
 * compares it with what was recorded under the old one.
 */
export function renamedRecorded(ids: IdentityMap, recorded: Recorded): Recorded {
  if (ids.size === 0) return recorded;
  const states = (s: Recorded["pre"]) =>
    s === undefined
      ? undefined
      : Object.fromEntries(Object.entries(s).map(([name, state]) => [ids.rename(name), ids.rewrite(state)]));
  const pre = states(recorded.pre);
  const post = states(recorded.post);
  return {
    ...recorded,
    ...(pre === undefined ? {} : { pre }),
    ...(post === undefined ? {} : { post }),
  };
}

/** The run's id changes so far, read back from its journal. */
export async function loadIdentities(journal: Journal, runId: string): Promise<IdentityMap> {
  const changes: IdentityChange[] = [];
  for (let after = 0; ; ) {
    const events = await journal.events(runId, after, 5000);
    changes.push(...identityChanges(events));
    if (events.length < 5000) break;
    after = events.at(-1)?.seq ?? after;
  }
  return new IdentityMap(changes);
}

/** Journal what an undo renamed, before the step is marked undone (a crash in between re-runs an undo that finds its own recreation by tag). */
export async function recordIdentities(
  journal: Journal,
  key: StepKey,
  changes: readonly IdentityChange[] | undefined,
): Promise<void> {
  for (const c of changes ?? [])
    await journal.note(key.runId, IDENTITY_EVENT, {
      target: key.target,
      step_index: key.stepIndex,
      resource: c.resource,
      from: c.from,
      to: c.to,
    });
}
