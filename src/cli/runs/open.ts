import { remoteOptionsOf, type SshFlags } from "../commands/ssh-flags.ts";
import { type GlobalOptions, resolveTarget, type Session } from "../context.ts";
import type { RunsBackend } from "./backend.ts";

/**
 * The store of this machine, or the server given by --server/OPSDOJO_URL; closed after `task`.
 * Each side is loaded only when chosen: a remote command never opens SQLite, a local one never
 * loads the HTTP client.
 */
export async function withRuns<T>(
  session: Session,
  globals: GlobalOptions,
  task: (runs: RunsBackend) => Promise<T>,
): Promise<T> {
  const target = resolveTarget(globals, session.env);
  const runs =
    target.kind === "remote"
      ? (await import("./remote-backend.ts")).remoteRuns({
          url: target.url,
          token: target.token,
          warn: (m) => session.warnings.push(m),
        })
      : await (await import("./local-backend.ts")).openLocalRuns(
          session.env,
          remoteOptionsOf(globals as GlobalOptions & SshFlags, session),
        );
  try {
    return await task(runs);
  } finally {
    await runs.close();
  }
}
