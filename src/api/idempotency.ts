import { createHash } from "node:crypto";
import type { Clock } from "../core/index.ts";
import { isUniqueViolation, type Store } from "../store/index.ts";
import { ProblemError } from "./problem-error.ts";

export interface StoredResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export type IdempotencyClaim =
  | { readonly kind: "claimed"; readonly key: string }
  | { readonly kind: "replay"; readonly response: StoredResponse };

/** How long a finished response is replayed. */
const KEEP_MS = 24 * 3600_000;
/**
 * An unfinished claim is a lease: it blocks others for IN_FLIGHT_MS and the node serving the
 * request renews it every RENEW_MS while the request runs, however long that is. A node that dies
 * stops renewing, so its claimed keys are free again within IN_FLIGHT_MS — the retry of a client
 * whose node died waits that long, not a fixed minute. Three renewals fit in one lease, so a slow
 * write or a busy event loop does not let a live request's key go.
 */
export const IN_FLIGHT_MS = 15_000;
const RENEW_MS = 5_000;
/** Response headers worth replaying. */
const REPLAYED_HEADERS = ["location", "etag", "content-type", "deprecation", "sunset"];

/** Canonical JSON: same data, same text, whatever the key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export function requestFingerprint(method: string, url: string, body: unknown): string {
  return createHash("sha256")
    .update(`${method} ${url}\n${canonical(body)}`)
    .digest("hex");
}

/**
 * Idempotency-Key records in the store (shared by every node): the first request claims the key,
 * its response is stored, repeats get that response; a different request with the key → 422,
 * a repeat while the first is still running → 409.
 */
export class IdempotencyKeys {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #renewEveryMs: number;
  /**
   * The claims this process holds: each one's renewal timer and `created_at`, which tells this
   * claim from a later one of the same key (after this one lapsed, another node may hold it).
   */
  readonly #held = new Map<string, { readonly timer: NodeJS.Timeout; readonly since: string }>();

  constructor(store: Store, clock: Clock, options: { readonly renewEveryMs?: number } = {}) {
    this.#store = store;
    this.#clock = clock;
    this.#renewEveryMs = options.renewEveryMs ?? RENEW_MS;
  }

  /** How many claims this process is renewing (0 once every request has been answered). */
  get held(): number {
    return this.#held.size;
  }

  async claim(subject: string, key: string, fingerprint: string): Promise<IdempotencyClaim> {
    const id = `${subject} ${key}`;
    const now = this.#clock.now();
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await this.#store.db
          .insertInto("idempotency_keys")
          .values({
            key: id,
            request_hash: fingerprint,
            state: "in_flight",
            status: null,
            headers: null,
            body: null,
            created_at: now.toISOString(),
            expires_at: new Date(now.getTime() + IN_FLIGHT_MS).toISOString(),
          })
          .execute();
        this.#hold(id, now.toISOString());
        return { kind: "claimed", key: id };
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
      const row = await this.#store.db
        .selectFrom("idempotency_keys")
        .selectAll()
        .where("key", "=", id)
        .executeTakeFirst();
      if (!row) continue; // finished and purged between our insert and read: try again
      if (row.expires_at <= now.toISOString()) {
        // An abandoned claim (its node died) or an expired record: free the key and retry once.
        await this.#store.db
          .deleteFrom("idempotency_keys")
          .where("key", "=", id)
          .where("expires_at", "=", row.expires_at)
          .execute();
        continue;
      }
      if (row.request_hash !== fingerprint) {
        throw new ProblemError(
          "idempotency-key-reused",
          `Idempotency-Key "${key}" was used with a different request`,
        );
      }
      if (row.state === "in_flight" || row.status === null) {
        throw new ProblemError(
          "idempotency-key-in-use",
          `a request with Idempotency-Key "${key}" is still in progress`,
        );
      }
      return {
        kind: "replay",
        response: {
          status: row.status,
          headers: JSON.parse(row.headers ?? "{}") as Record<string, string>,
          body: row.body ?? "",
        },
      };
    }
    throw new ProblemError("idempotency-key-in-use", `Idempotency-Key "${key}" is contended; retry`);
  }

  /** Pushes an unfinished claim's expiry forward: the request is still being served here. */
  async renew(id: string): Promise<void> {
    await ours(
      this.#held.get(id)?.since,
      this.#store.db
        .updateTable("idempotency_keys")
        .set({ expires_at: new Date(this.#clock.now().getTime() + IN_FLIGHT_MS).toISOString() })
        .where("key", "=", id)
        .where("state", "=", "in_flight"),
    ).execute();
  }

  /** Stops renewing a claim (its request was answered or abandoned); the record is left as it is. */
  letGo(id: string): void {
    const held = this.#held.get(id);
    if (held === undefined) return;
    clearInterval(held.timer);
    this.#held.delete(id);
  }

  /** Stops every renewal: the server is closing (the records expire on their own). */
  letGoAll(): void {
    for (const id of [...this.#held.keys()]) this.letGo(id);
  }

  #hold(id: string, since: string): void {
    this.letGo(id);
    const timer = setInterval(() => {
      // A failed renewal is retried at the next tick; if the store stays away the claim expires,
      // which is what a dead node's would do.
      this.renew(id).catch(() => {});
    }, this.#renewEveryMs);
    timer.unref();
    this.#held.set(id, { timer, since });
  }

  async complete(id: string, status: number, headers: Record<string, unknown>, body: string): Promise<void> {
    const since = this.#held.get(id)?.since;
    this.letGo(id);
    if (status >= 500) {
      // A failure is not a result: let the client retry with the same key.
      await ours(since, this.#store.db.deleteFrom("idempotency_keys").where("key", "=", id)).execute();
      return;
    }
    const kept: Record<string, string> = {};
    for (const name of REPLAYED_HEADERS) {
      const value = headers[name];
      if (typeof value === "string") kept[name] = value;
    }
    await ours(
      since,
      this.#store.db
        .updateTable("idempotency_keys")
        .set({
          state: "done",
          status,
          headers: JSON.stringify(kept),
          body,
          expires_at: new Date(this.#clock.now().getTime() + KEEP_MS).toISOString(),
        })
        .where("key", "=", id),
    ).execute();
  }

  async release(id: string): Promise<void> {
    const since = this.#held.get(id)?.since;
    this.letGo(id);
    await ours(since, this.#store.db.deleteFrom("idempotency_keys").where("key", "=", id)).execute();
  }

  async purge(): Promise<void> {
    await this.#store.db
      .deleteFrom("idempotency_keys")
      .where("expires_at", "<", this.#clock.now().toISOString())
      .execute();
  }
}

/**
 * Narrows a write to this process's claim of a key, known by its `created_at`: if the claim
 * lapsed and another node claimed the key since, that claim is not ours to renew, answer or
 * free. Without `since` (a claim this process no longer holds, e.g. answered while closing) the
 * write goes by key alone, as before leases.
 */
function ours<Q extends { where(column: "created_at", op: "=", value: string): Q }>(
  since: string | undefined,
  query: Q,
): Q {
  return since === undefined ? query : query.where("created_at", "=", since);
}
