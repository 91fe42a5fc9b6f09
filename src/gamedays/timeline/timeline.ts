import type { Kysely, Transaction } from "kysely";
import type { Clock } from "../../core/index.ts";
import type { Database } from "../../store/index.ts";
import { GamedayItemNotFoundError, SessionNotFoundError } from "../errors.ts";
import type { EntryKind, TimelineEntry } from "./model.ts";

type Db = Kysely<Database> | Transaction<Database>;

export interface NewEntry {
  readonly kind: EntryKind;
  readonly source: "auto" | "human";
  readonly by?: string | null;
  readonly text: string;
  readonly data?: Record<string, unknown>;
  /** When it happened, if not now (the true injection instant, read from the journal). */
  readonly at?: Date;
}

/**
 * Append an entry with the session's next sequence number, in one transaction with the counter:
 * the running session and any number of `gameday note` processes share one gap-free numbering.
 */
export async function appendEntry(
  db: Kysely<Database>,
  clock: Clock,
  sessionId: string,
  entry: NewEntry,
): Promise<TimelineEntry> {
  return db.transaction().execute((tx) => appendIn(tx, clock, sessionId, entry));
}

export async function appendIn(
  tx: Transaction<Database>,
  clock: Clock,
  sessionId: string,
  entry: NewEntry,
): Promise<TimelineEntry> {
  const now = clock.now();
  const row = await tx
    .updateTable("gameday_sessions")
    .set((eb) => ({ next_seq: eb("next_seq", "+", 1), updated_at: now.toISOString() }))
    .where("id", "=", sessionId)
    .returning("next_seq")
    .executeTakeFirst();
  if (!row) throw new SessionNotFoundError(sessionId);
  const seq = Number(row.next_seq) - 1;
  const at = (entry.at ?? now).toISOString();
  const data = entry.data ?? {};
  await tx
    .insertInto("gameday_timeline")
    .values({
      session_id: sessionId,
      seq,
      at,
      kind: entry.kind,
      source: entry.source,
      by: entry.by ?? null,
      text: entry.text,
      data: JSON.stringify(data),
      correct: null,
    })
    .execute();
  return {
    seq,
    at,
    kind: entry.kind,
    source: entry.source,
    by: entry.by ?? null,
    text: entry.text,
    data,
    correct: null,
  };
}

/** Entries after `afterSeq`, in sequence order. */
export async function listEntries(
  db: Db,
  sessionId: string,
  afterSeq = 0,
  limit = 10_000,
): Promise<TimelineEntry[]> {
  const rows = await db
    .selectFrom("gameday_timeline")
    .selectAll()
    .where("session_id", "=", sessionId)
    .where("seq", ">", afterSeq)
    .orderBy("seq")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    seq: Number(r.seq),
    at: r.at,
    kind: r.kind as EntryKind,
    source: r.source as "auto" | "human",
    by: r.by,
    text: r.text,
    data: JSON.parse(r.data) as Record<string, unknown>,
    correct: r.correct === null ? null : Number(r.correct) === 1,
  }));
}

/** The GM's verdict on a hypothesis. Only hypotheses can be marked. */
export async function markHypothesis(
  db: Kysely<Database>,
  sessionId: string,
  seq: number,
  correct: boolean,
): Promise<TimelineEntry> {
  const [entry] = (await listEntries(db, sessionId, seq - 1, 1)).filter((e) => e.seq === seq);
  if (!entry)
    throw new GamedayItemNotFoundError(`session ${sessionId} has no timeline entry ${seq}`, { seq });
  if (entry.kind !== "hypothesis") {
    throw new GamedayItemNotFoundError(
      `entry ${seq} is a ${entry.kind}, not a hypothesis; only hypotheses are marked correct or wrong`,
      { seq },
    );
  }
  await db
    .updateTable("gameday_timeline")
    .set({ correct: correct ? 1 : 0 })
    .where("session_id", "=", sessionId)
    .where("seq", "=", seq)
    .execute();
  return { ...entry, correct };
}

/** `12:03:04.512  #7  ack  bob: looking at app-1` — one line per entry, for people. */
export function formatEntry(entry: TimelineEntry, startedAt?: string): string {
  const offset = startedAt ? `+${formatOffset(Date.parse(entry.at) - Date.parse(startedAt))}` : "";
  const who = entry.by ? `${entry.by}: ` : "";
  const mark = entry.correct === null ? "" : entry.correct ? " [correct]" : " [wrong]";
  return `${entry.at}  ${offset.padEnd(9)} #${String(entry.seq).padEnd(3)} ${entry.kind.padEnd(22)} ${who}${entry.text}${mark}`;
}

/** 75_300 → `1m15.3s`. */
export function formatOffset(ms: number): string {
  const sign = ms < 0 ? "-" : "";
  const abs = Math.abs(ms);
  const minutes = Math.floor(abs / 60_000);
  const seconds = ((abs % 60_000) / 1000).toFixed(1);
  return minutes > 0 ? `${sign}${minutes}m${seconds}s` : `${sign}${seconds}s`;
}
