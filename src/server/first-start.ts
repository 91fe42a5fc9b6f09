import type { Tokens } from "../api/index.ts";
import type { Clock } from "../core/index.ts";

export interface LoginToken {
  readonly token: string;
  /** `admin` on the first start, `read` for a later start's dashboard session. */
  readonly scope: "admin" | "read";
  /** True when this is the first start and the token is the permanent admin token. */
  readonly firstStart: boolean;
  readonly expiresAt: string | null;
  /**
   * What the dashboard link carries: always a 24-hour read-only session token — on the first
   * start too, where `token` is the admin token (printed once, apart from the link).
   */
  readonly dashboardToken: string;
  readonly dashboardExpiresAt: string;
}

const SESSION_HOURS = 24;

/**
 * Like Jupyter: every start prints a link that carries a token. The first start creates the
 * admin token (shown once, keep it, printed apart from the link). Every start mints a 24-hour
 * *read-only* session token for the link: the
 * store keeps only hashes, so it cannot show an earlier token again, and keeping a live secret at
 * rest to reuse it would put a credential in every copy of the store. A link printed on every
 * start ends up in terminals, CI logs and journals, so it grants the least that the dashboard
 * needs: the dashboard only reads. (docs/getting-started.md, "Security model".)
 */
export async function ensureLoginToken(tokens: Tokens, clock: Clock): Promise<LoginToken> {
  if ((await tokens.count()) === 0) {
    const created = await tokens.create({ name: "admin (first start)", scopes: ["admin"] });
    // The link is opened in browsers and pasted into chats and wall screens: even the first one
    // carries only a read-only session; the admin token is printed beside it, once.
    const session = await dashboardSession(tokens, clock);
    return {
      token: created.token,
      scope: "admin",
      firstStart: true,
      expiresAt: null,
      dashboardToken: session.token,
      dashboardExpiresAt: session.expiresAt,
    };
  }
  await tokens.purgeExpired();
  const session = await dashboardSession(tokens, clock);
  return {
    token: session.token,
    scope: "read",
    firstStart: false,
    expiresAt: session.expiresAt,
    dashboardToken: session.token,
    dashboardExpiresAt: session.expiresAt,
  };
}

async function dashboardSession(tokens: Tokens, clock: Clock): Promise<{ token: string; expiresAt: string }> {
  const expiresAt = new Date(clock.now().getTime() + SESSION_HOURS * 3600_000);
  const session = await tokens.create({ name: "dashboard session", scopes: ["read"], expiresAt });
  return { token: session.token, expiresAt: expiresAt.toISOString() };
}
