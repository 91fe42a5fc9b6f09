import { createHash } from "node:crypto";
import type { Clock } from "../../core/index.ts";
import { InvalidInputError, newId, randomSecret } from "../../core/index.ts";
import { type ChangeFeed, RowCache, type Store } from "../../store/index.ts";
import { isScope, SCOPES, type Scope } from "./scopes.ts";

/** What is known about a token; the secret itself is shown once, at creation, and never stored. */
export interface TokenInfo {
  readonly id: string;
  readonly name: string;
  readonly scopes: readonly Scope[];
  readonly created_at: string;
  readonly expires_at: string | null;
  readonly last_used_at: string | null;
  readonly revoked_at: string | null;
  /**
   * The person the token acts for (`token create --person`): who the runs it queues were started
   * by. Null for a token that is nobody's (CI, a dashboard session): its runs record its name.
   */
  readonly person: string | null;
}

/** Who a request with this token is, as runs record it: its person, else its name. */
export function actorOf(token: Pick<TokenInfo, "name" | "person">): string {
  return token.person ?? token.name;
}

export interface CreatedToken extends TokenInfo {
  /** `odj_…`, the bearer secret. */
  readonly token: string;
}

export const TOKEN_PREFIX = "odj_";

export function hashToken(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

function parseScopes(raw: readonly string[]): Scope[] {
  const scopes: Scope[] = [];
  for (const s of raw) {
    if (!isScope(s))
      throw new InvalidInputError(`unknown scope "${s}"; use ${SCOPES.join(", ")}`, { scope: s });
    if (!scopes.includes(s)) scopes.push(s);
  }
  if (scopes.length === 0)
    throw new InvalidInputError(`a token needs at least one scope (${SCOPES.join(", ")})`);
  return scopes;
}

function toInfo(row: {
  id: string;
  name: string;
  scopes: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
  person: string | null;
}): TokenInfo {
  return {
    id: row.id,
    name: row.name,
    scopes: JSON.parse(row.scopes) as Scope[],
    created_at: row.created_at,
    expires_at: row.expires_at,
    last_used_at: row.last_used_at,
    revoked_at: row.revoked_at,
    person: row.person,
  };
}

/** Token management over the store: used by the CLI, the server's first start and the auth hook. */
export class Tokens {
  readonly #store: Store;
  readonly #clock: Clock;
  /** Throttles `last_used_at` writes to one per token per minute. */
  readonly #touched = new Map<string, number>();
  /**
   * Verified tokens by secret: a token lookup per request would cost more than the rest of a
   * read. With a change feed (a server), kept until the feed says the token's row changed
   * (revoked, expired early, rescoped, deleted) and served only while the feed is live; without
   * one, for `cacheMs`. A revocation on this node takes effect at once either way.
   */
  readonly #verified = new Map<string, { info: TokenInfo; until: number; expiresMs: number }>();
  readonly #cacheMs: number;
  readonly #cache: RowCache<{ info: TokenInfo; expiresMs: number }> | undefined;

  constructor(store: Store, clock: Clock, options: { cacheMs?: number; changes?: ChangeFeed } = {}) {
    this.#store = store;
    this.#clock = clock;
    this.#cacheMs = options.cacheMs ?? 5000;
    this.#cache = options.changes
      ? new RowCache(options.changes, "tokens", (e) => e.info.id, 10_000)
      : undefined;
  }

  /** Stop listening for changes (the server's close). */
  close(): void {
    this.#cache?.close();
  }

  async create(input: {
    name: string;
    scopes: readonly string[];
    expiresAt?: Date;
    person?: string | undefined;
  }): Promise<CreatedToken> {
    const name = input.name.trim();
    if (name.length === 0 || name.length > 100)
      throw new InvalidInputError("a token name must be 1 to 100 characters");
    const person = input.person?.trim();
    if (person !== undefined && (person.length === 0 || person.length > 100))
      throw new InvalidInputError(
        "--person must be 1 to 100 characters: the team member's name as `opsdojo team list` shows it",
      );
    const scopes = parseScopes(input.scopes);
    const now = this.#clock.now();
    const secret = `${TOKEN_PREFIX}${randomSecret(32)}`;
    const row = {
      id: newId("tok", now),
      name,
      hash: hashToken(secret),
      scopes: JSON.stringify(scopes),
      created_at: now.toISOString(),
      expires_at: input.expiresAt ? input.expiresAt.toISOString() : null,
      last_used_at: null,
      revoked_at: null,
      person: person ?? null,
    };
    await this.#store.db.insertInto("tokens").values(row).execute();
    return { ...toInfo(row), token: secret };
  }

  async list(): Promise<TokenInfo[]> {
    const rows = await this.#store.db.selectFrom("tokens").selectAll().orderBy("id").execute();
    return rows.map(toInfo);
  }

  async count(): Promise<number> {
    const row = await this.#store.db
      .selectFrom("tokens")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Revoke by id; returns false when no such token exists. Revoking twice is harmless. */
  async revoke(id: string): Promise<boolean> {
    const now = this.#clock.now().toISOString();
    const existing = await this.#store.db
      .selectFrom("tokens")
      .select(["id", "revoked_at"])
      .where("id", "=", id)
      .executeTakeFirst();
    if (!existing) return false;
    if (existing.revoked_at === null) {
      await this.#store.db.updateTable("tokens").set({ revoked_at: now }).where("id", "=", id).execute();
    }
    for (const [secret, entry] of this.#verified) if (entry.info.id === id) this.#verified.delete(secret);
    this.#cache?.invalidate(id);
    return true;
  }

  /**
   * The live token with this secret, or undefined (unknown, revoked or expired). Answers at once
   * (no promise) when the token was verified in the last few seconds: this is on every request's path.
   */
  verify(secret: string): TokenInfo | undefined | Promise<TokenInfo | undefined> {
    if (!secret.startsWith(TOKEN_PREFIX) || secret.length > 200) return undefined;
    const now = this.#clock.now();
    // Keyed by the secret itself (it is in this process's memory for the request anyway), so a
    // hit costs no hashing.
    if (this.#cache) {
      const hit = this.#cache.get(secret);
      if (hit && hit.expiresMs > now.getTime()) {
        this.#touch(hit.info.id, now);
        return hit.info;
      }
      return this.#verifyStored(secret, now, this.#cache.begin());
    }
    const cached = this.#verified.get(secret);
    if (cached && cached.until > now.getTime() && cached.expiresMs > now.getTime()) {
      this.#touch(cached.info.id, now);
      return cached.info;
    }
    return this.#verifyStored(secret, now, 0);
  }

  async #verifyStored(secret: string, now: Date, generation: number): Promise<TokenInfo | undefined> {
    const row = await this.#store.db
      .selectFrom("tokens")
      .selectAll()
      .where("hash", "=", hashToken(secret))
      .executeTakeFirst();
    if (!row || row.revoked_at !== null) {
      this.#verified.delete(secret);
      return undefined;
    }
    if (row.expires_at !== null && row.expires_at <= now.toISOString()) return undefined;
    const info = toInfo(row);
    const expiresMs = info.expires_at === null ? Number.POSITIVE_INFINITY : Date.parse(info.expires_at);
    if (this.#cache) this.#cache.set(secret, { info, expiresMs }, generation);
    else {
      if (this.#verified.size > 10_000) this.#verified.clear();
      this.#verified.set(secret, { info, until: now.getTime() + this.#cacheMs, expiresMs });
    }
    this.#touch(row.id, now);
    return info;
  }

  /** Remove expired tokens (the dashboard's per-start session tokens pile up otherwise). */
  async purgeExpired(): Promise<number> {
    const result = await this.#store.db
      .deleteFrom("tokens")
      .where("expires_at", "is not", null)
      .where("expires_at", "<=", this.#clock.now().toISOString())
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  #touch(id: string, now: Date): void {
    const last = this.#touched.get(id) ?? 0;
    if (now.getTime() - last < 60_000) return;
    this.#touched.set(id, now.getTime());
    // Best effort and off the request path: a lost update of last_used_at harms nobody.
    void this.#store.db
      .updateTable("tokens")
      .set({ last_used_at: now.toISOString() })
      .where("id", "=", id)
      .execute()
      .catch(() => {});
  }
}
