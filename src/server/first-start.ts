import type { Tokens } from "../api/index.ts";
import type { Clock } from "../core/index.ts";

export interface LoginToken {
  readonly token: string;
  /** True when this is the first start and the token is the permanent admin token. */
  readonly firstStart: boolean;
  readonly expiresAt: string | null;
}

const SESSION_HOURS = 24;

/**
 * Like Jupyter: every start prints a link that carries a token. The first start creates the
 * admin token (shown once, keep it); later starts mint a 24-hour admin session token, since the
 * store keeps only hashes and cannot show the first one again.
 */
export async function ensureLoginToken(tokens: Tokens, clock: Clock): Promise<LoginToken> {
  if ((await tokens.count()) === 0) {
    const created = await tokens.create({ name: "admin (first start)", scopes: ["admin"] });
    return { token: created.token, firstStart: true, expiresAt: null };
  }
  await tokens.purgeExpired();
  const expiresAt = new Date(clock.now().getTime() + SESSION_HOURS * 3600_000);
  const session = await tokens.create({ name: "dashboard session", scopes: ["admin"], expiresAt });
  return { token: session.token, firstStart: false, expiresAt: expiresAt.toISOString() };
}
