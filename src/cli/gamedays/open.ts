import { type GlobalOptions, resolveTarget, type Session } from "../context.ts";
import type { GamedaysBackend } from "./backend.ts";

/** The store of this machine, or the server given by --server/OPSDOJO_URL; closed after `task`. */
export async function withGamedays<T>(
  session: Session,
  globals: GlobalOptions,
  task: (gamedays: GamedaysBackend) => Promise<T>,
): Promise<T> {
  const target = resolveTarget(globals, session.env);
  const gamedays =
    target.kind === "remote"
      ? (await import("./remote-backend.ts")).remoteGamedays({
          url: target.url,
          token: target.token,
          warn: (m) => session.warnings.push(m),
        })
      : await (await import("./local-backend.ts")).openLocalGamedays(session);
  try {
    return await task(gamedays);
  } finally {
    await gamedays.close();
  }
}
