import type { Clock } from "../../core/index.ts";
import { currentOwner, ownerIsDeadHere } from "../../operations/index.ts";
import type { Store } from "../../store/index.ts";
import { SessionStateError } from "../errors.ts";
import { parseScenario } from "../scenario/index.ts";
import { appendEntry } from "../timeline/index.ts";
import { type CheckRunner, runScenarioCheck } from "./checks.ts";
import type { SessionRecord } from "./model.ts";
import { isHostedSessionOwner } from "./owner.ts";
import { SessionRepository } from "./repository.ts";
import { restoreFaults } from "./restore.ts";

/**
 * Sessions left open by a process that is gone become `interrupted` (every `gameday` command
 * calls this first, as `runs` commands do for runs). Returns their ids.
 */
export function findInterruptedSessions(store: Store, clock: Clock): Promise<string[]> {
  return new SessionRepository(store, clock).markInterrupted(ownerIsDeadHere);
}

/**
 * `gameday restore`: undo every fault of an interrupted session (or of an ended one whose
 * restore was not clean) from the journal alone, then check the objectives of the scenario as
 * it was played. A session already restored cleanly is left as it is.
 */
export async function restoreSession(
  store: Store,
  clock: Clock,
  id: string,
  options: {
    checker?: CheckRunner;
    withinMs?: number;
    owner?: string;
    leaseMs?: number;
    /** Who restores, for the timeline (default: `gameday restore`). */
    by?: string;
  } = {},
): Promise<SessionRecord> {
  const repo = new SessionRepository(store, clock);
  await repo.markInterrupted(ownerIsDeadHere);
  const before = await repo.get(id);
  const owner = options.owner ?? currentOwner();
  if (!(await repo.claimForRestore(id, owner, options.leaseMs ?? 30_000))) {
    if (before.status === "ended" && before.cleanRestore) return before;
    throw new SessionStateError(
      `session ${id} is ${before.status} in another process (${before.leaseOwner ?? "unknown"}); end it with \`opsdojo gameday end ${id}\`, which restores it`,
      { status: before.status },
    );
  }
  const { source, file } = await repo.source(id);
  const scenario = parseScenario(source, file);
  const outcome = await restoreFaults(
    {
      store,
      clock,
      repo,
      owner,
      checker: options.checker ?? runScenarioCheck,
      ...(options.withinMs === undefined ? {} : { withinMs: options.withinMs }),
      ...(scenario.on_conflict ? { onConflict: scenario.on_conflict } : {}),
    },
    id,
    scenario.objectives,
  );
  const reason = before.endReason ?? "interrupted";
  // The last entry before the status, as the runner does: a reader that sees `ended` has it.
  await appendEntry(store.db, clock, id, {
    kind: "session.ended",
    source: "auto",
    text: `restored by ${options.by ?? "`gameday restore`"}; restore ${outcome.clean ? "clean" : "NOT clean"}`,
    data: { reason, clean_restore: outcome.clean },
  });
  await repo.setStatus(id, "ended", {
    end_reason: reason,
    ended_at: before.endedAt ?? clock.now().toISOString(),
    clean_restore: outcome.clean ? 1 : 0,
  });
  return repo.get(id);
}

/**
 * A surviving server node's look for sessions whose host died (issue 18): sessions hosted by a
 * server whose lease ran out (or whose process on this host is gone) become `interrupted`, and
 * each is restored here — its faults undone from the journal, its objectives checked — by
 * exactly one node (`claimForRestore`). Returns the ids this node restored.
 */
export async function restoreLostSessions(
  store: Store,
  clock: Clock,
  owner: string,
  options: { checker?: CheckRunner; leaseMs?: number } = {},
): Promise<string[]> {
  const repo = new SessionRepository(store, clock);
  await repo.markInterrupted(ownerIsDeadHere);
  const restored: string[] = [];
  for (const lost of await repo.lost()) {
    if (!isHostedSessionOwner(lost.owner)) continue;
    try {
      await restoreSession(store, clock, lost.id, {
        ...options,
        owner,
        by: `node ${owner}, as its host ${lost.owner} died`,
      });
      restored.push(lost.id);
    } catch (error) {
      // Another node claimed it first.
      if (!(error instanceof SessionStateError)) throw error;
    }
  }
  return restored;
}
