import { systemClock } from "../../core/index.ts";
import {
  appendEntry,
  findInterruptedSessions,
  listEntries,
  markHypothesis,
  SessionRepository,
} from "../../gamedays/index.ts";
import type { Store } from "../../store/index.ts";
import { openLocalStore, type Session } from "../context.ts";
import type { GamedaysBackend } from "./backend.ts";

/**
 * Game days in this machine's store. Opening it marks as interrupted the sessions whose process
 * is gone, and warns about each interrupted session still unrestored (as every gameday command does).
 */
export async function openLocalGamedays(session: Session): Promise<GamedaysBackend> {
  const store = await openLocalStore(session.env);
  try {
    await warnInterrupted(session, store);
  } catch (error) {
    await store.close();
    throw error;
  }
  const repo = new SessionRepository(store, systemClock);
  return {
    list: (scenario) => repo.list(scenario ? { scenario } : {}),
    get: (id) => repo.get(id),
    entries: async (id, afterSeq = 0) => {
      await repo.get(id);
      return listEntries(store.db, id, afterSeq);
    },
    note: async (id, input) => {
      await repo.get(id);
      return appendEntry(store.db, systemClock, id, { ...input, source: "human" });
    },
    mark: async (id, seq, correct) => {
      await repo.get(id);
      return markHypothesis(store.db, id, seq, correct);
    },
    close: () => store.close(),
  };
}

/** Mark sessions whose process died as interrupted; warn of each one not yet restored. */
export async function warnInterrupted(session: Session, store: Store): Promise<void> {
  await findInterruptedSessions(store, systemClock);
  const open = await store.db
    .selectFrom("gameday_sessions")
    .select("id")
    .where("status", "=", "interrupted")
    .orderBy("id")
    .execute();
  for (const { id } of open) {
    session.warnings.push(
      `game day session ${id} was left open by a process that is gone; \`opsdojo gameday restore ${id}\` undoes its faults`,
    );
  }
}
