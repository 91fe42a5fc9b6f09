import type { Static } from "typebox";
import {
  assertIfMatch,
  type CoreContext,
  computeEtag,
  type FieldSpecs,
  type Page,
  type PageQuery,
  paginate,
  validationFailed,
} from "../../api/index.ts";
import { GamedayItemNotFoundError } from "../errors.ts";
import { deriveMetrics } from "../metrics/index.ts";
import {
  buildPostmortem,
  loadPostmortemInput,
  type Postmortem,
  renderMarkdown,
} from "../postmortem/index.ts";
import { parseScenario } from "../scenario/index.ts";
import { requestEnd, requestRelease, type SessionRecord, SessionRepository } from "../session/index.ts";
import {
  appendEntry,
  type HumanKind,
  listEntries,
  markHypothesis,
  type TimelineEntry,
} from "../timeline/index.ts";
import type {
  SessionEndSchema,
  SessionInjectsSchema,
  SessionReleaseSchema,
  SessionResourceSchema,
  TimelineEntryCreateSchema,
  TimelineEntrySchema,
} from "./schemas.ts";
import { SESSION_STATUSES } from "./schemas.ts";
import { sessionInjects } from "./session-injects.ts";

export type SessionResource = Static<typeof SessionResourceSchema>;
export type TimelineEntryResource = Static<typeof TimelineEntrySchema>;
export type TimelineEntryCreate = Static<typeof TimelineEntryCreateSchema>;
export type SessionEnd = Static<typeof SessionEndSchema>;
export type SessionRelease = Static<typeof SessionReleaseSchema>;
export type SessionInjectsResource = Static<typeof SessionInjectsSchema>;
export type PostmortemResource = Postmortem & {
  readonly id: string;
  readonly etag: string;
  readonly [field: string]: unknown;
};

export const SESSION_FIELDS: FieldSpecs = {
  status: { type: "string", values: SESSION_STATUSES, sortable: true },
  scenario: { type: "string", column: "scenario_name", sortable: true },
  gm: { type: "string", sortable: true },
  created_at: { type: "timestamp", column: "started_at", sortable: true },
  started_at: { type: "timestamp", sortable: true },
  updated_at: { type: "timestamp", sortable: true },
  ended_at: { type: "timestamp" },
};

export const TIMELINE_FIELDS: FieldSpecs = {
  kind: { type: "string" },
  source: { type: "string", values: ["auto", "human"] },
  by: { type: "string" },
  at: { type: "timestamp" },
};

type Core = Pick<CoreContext, "store" | "clock" | "cursors">;

/**
 * `/api/sessions`: game-day sessions and their timelines, read from the store that the process
 * playing a session writes — `opsdojo gameday start`, or this server for a session started over
 * the API (see SessionHost). Ending and releasing are commands any process may leave.
 */
export class SessionsApi {
  readonly #core: Core;
  readonly #repo: SessionRepository;
  readonly #listeners = new Set<(sessionId: string) => void>();

  constructor(core: Core) {
    this.#core = core;
    this.#repo = new SessionRepository(core.store, core.clock);
  }

  async list(query: PageQuery): Promise<Page<SessionResource>> {
    const select = this.#core.store.db.selectFrom("gameday_sessions").selectAll();
    const page = await paginate(select, query, {
      collection: "gameday_sessions",
      fields: SESSION_FIELDS,
      codec: this.#core.cursors,
    });
    const items = await Promise.all(page.items.map((row) => this.get(String(row.id))));
    return page.next_cursor ? { items, next_cursor: page.next_cursor } : { items };
  }

  /** One session with its faults, injection instants and metrics (derived from its timeline). */
  async get(id: string): Promise<SessionResource> {
    const record = await this.#repo.get(id);
    const entries = await listEntries(this.#core.store.db, id);
    const row = await this.#core.store.db
      .selectFrom("gameday_sessions")
      .select("updated_at")
      .where("id", "=", id)
      .executeTakeFirst();
    return sessionResource(record, entries, row?.updated_at);
  }

  /**
   * The GM's view of the session's injects and hints: text, when due, released or not. Read from
   * the scenario text the session played, so a later version of the scenario changes nothing.
   */
  async injects(id: string): Promise<SessionInjectsResource> {
    const record = await this.#repo.get(id);
    const { file, source } = await this.#repo.source(id);
    const entries = await listEntries(this.#core.store.db, id);
    const items = sessionInjects(parseScenario(source, file), record.startedAt, entries);
    const released = items.filter((i) => i.released).length;
    const body = {
      id: `${id}.injects`,
      session_id: id,
      status: record.status,
      started_at: record.startedAt,
      released,
      pending: items.length - released,
      items,
    };
    return { ...body, etag: computeEtag(body) };
  }

  /** The timeline in sequence order, paginated (filter on kind, source, by, at). */
  async timeline(id: string, query: PageQuery): Promise<Page<TimelineEntryResource>> {
    await this.#repo.get(id);
    const select = this.#core.store.db
      .selectFrom("gameday_timeline")
      .selectAll()
      .where("session_id", "=", id);
    const page = await paginate(select, query, {
      collection: `gameday_timeline:${id}`,
      fields: TIMELINE_FIELDS,
      codec: this.#core.cursors,
      idColumn: "seq",
    });
    const items = page.items.map((r) =>
      entryResource(id, {
        seq: Number(r.seq),
        at: r.at,
        kind: r.kind as TimelineEntry["kind"],
        source: r.source as "auto" | "human",
        by: r.by,
        text: r.text,
        data: JSON.parse(r.data) as Record<string, unknown>,
        correct: r.correct === null ? null : Number(r.correct) === 1,
      }),
    );
    return page.next_cursor ? { items, next_cursor: page.next_cursor } : { items };
  }

  async entry(id: string, seq: number): Promise<TimelineEntryResource> {
    await this.#repo.get(id);
    const [entry] = (await listEntries(this.#core.store.db, id, seq - 1, 1)).filter((e) => e.seq === seq);
    if (!entry) throw new GamedayItemNotFoundError(`session ${id} has no timeline entry ${seq}`, { seq });
    return entryResource(id, entry);
  }

  /** Entries after `afterSeq` and whether the session is over (for SSE). */
  async entriesAfter(
    id: string,
    afterSeq: number,
  ): Promise<{ entries: TimelineEntryResource[]; over: boolean }> {
    // The status first: an entry written after this read is still found by the next one.
    const status = (await this.#repo.get(id)).status;
    const entries = await listEntries(this.#core.store.db, id, afterSeq, 500);
    const over = entries.length < 500 && (status === "ended" || status === "interrupted");
    return { entries: entries.map((e) => entryResource(id, e)), over };
  }

  /** A human entry, written exactly as `gameday note` writes it (the same store function). */
  async addEntry(
    id: string,
    input: TimelineEntryCreate,
    options: { validateOnly?: boolean } = {},
  ): Promise<TimelineEntryResource> {
    if (input.text.trim() === "")
      throw validationFailed([{ detail: "the entry has no text", pointer: "/text", in: "body" }]);
    const record = await this.#repo.get(id);
    const kind: HumanKind = input.kind ?? "note";
    if (options.validateOnly) {
      const now = this.#core.clock.now().toISOString();
      const preview: TimelineEntry = {
        seq: 1,
        at: now,
        kind,
        source: "human",
        by: input.by ?? null,
        text: input.text,
        data: {},
        correct: null,
      };
      return { ...entryResource(record.id, preview), etag: "validate-only" };
    }
    const entry = await appendEntry(this.#core.store.db, this.#core.clock, id, {
      kind,
      source: "human",
      by: input.by ?? null,
      text: input.text,
    });
    this.touched(id);
    return entryResource(id, entry);
  }

  /**
   * The GM's verdict on a hypothesis (what `gameday mark` does): `correct` true or false. With
   * If-Match, only when the entry still has that ETag.
   */
  async markEntry(
    id: string,
    seq: number,
    correct: boolean,
    options: { ifMatch?: string | undefined; validateOnly?: boolean } = {},
  ): Promise<TimelineEntryResource> {
    const current = await this.entry(id, seq);
    assertIfMatch(options.ifMatch, current.etag);
    if (current.kind !== "hypothesis")
      throw validationFailed([
        {
          detail: `entry ${seq} is a ${current.kind}, not a hypothesis; only hypotheses are marked correct or wrong`,
          pointer: "/correct",
          in: "body",
        },
      ]);
    if (options.validateOnly) return entryResource(id, { ...toEntry(current), correct });
    const marked = await markHypothesis(this.#core.store.db, id, seq, correct);
    this.touched(id);
    return entryResource(id, marked);
  }

  /**
   * The session's postmortem (what `gameday postmortem --format json` prints) as a resource:
   * `id` is `<session>.postmortem`, the ETag a hash of its content, so it moves with every note,
   * verdict, retro entry and action item.
   */
  async postmortem(id: string): Promise<PostmortemResource> {
    const pm = buildPostmortem(await loadPostmortemInput(this.#core, id));
    return { id: `${id}.postmortem`, ...pm, etag: computeEtag({ ...pm }) };
  }

  /** The same postmortem as Markdown, with the same ETag. */
  async postmortemMarkdown(id: string): Promise<{ text: string; etag: string }> {
    const resource = await this.postmortem(id);
    const { id: _id, etag, ...pm } = resource;
    return { text: renderMarkdown(pm as unknown as Postmortem), etag };
  }

  /** A session this node plays wrote to its timeline: wake its streams. */
  touched(id: string): void {
    for (const listener of this.#listeners) listener(id);
  }

  /** The GM's word over the API: the running session ends at its next check, then restores. */
  async requestEnd(id: string, input: SessionEnd, dryRun = false): Promise<SessionResource> {
    await requestEnd(this.#repo, id, input.resolved === true, input.by ?? null, { dryRun });
    return this.get(id);
  }

  /** Release an inject or hint now instead of at its time. */
  async requestRelease(id: string, input: SessionRelease, dryRun = false): Promise<SessionResource> {
    await requestRelease(this.#repo, id, input.item, input.by ?? null, { dryRun });
    return this.get(id);
  }

  /** Called with the session id whenever this node appends an entry (wakes SSE streams). */
  subscribe(listener: (sessionId: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

function toEntry(r: TimelineEntryResource): TimelineEntry {
  return {
    seq: r.seq,
    at: r.at,
    kind: r.kind as TimelineEntry["kind"],
    source: r.source as TimelineEntry["source"],
    by: r.by,
    text: r.text,
    data: r.data,
    correct: r.correct,
  };
}

export function entryResource(sessionId: string, e: TimelineEntry): TimelineEntryResource {
  return {
    id: `${sessionId}.${e.seq}`,
    session_id: sessionId,
    seq: e.seq,
    at: e.at,
    kind: e.kind,
    source: e.source,
    by: e.by,
    text: e.text,
    data: e.data,
    correct: e.correct,
    created_at: e.at,
    updated_at: e.at,
    etag: `${e.seq}.${e.correct === null ? "u" : e.correct ? "c" : "w"}`,
  };
}

/** `updatedAt`: the row's own stamp (entries and status changes move it; fault updates do not). */
export function sessionResource(
  record: SessionRecord,
  entries: readonly TimelineEntry[],
  updatedAt?: string,
): SessionResource {
  const body: Omit<SessionResource, "etag" | "updated_at"> = {
    id: record.id,
    scenario: record.scenario,
    scenario_title: record.title,
    kind: "drill",
    status: record.status,
    gm: record.gm,
    players: record.players.map((p) => ({ name: p.name, role: p.role })),
    started_at: record.startedAt,
    fault_injected_at: record.faultInjectedAt,
    ended_at: record.endedAt,
    end_reason: record.endReason,
    clean_restore: record.cleanRestore,
    faults: record.faults.map((f) => ({
      index: f.index,
      name: f.name,
      operation_id: f.operationId,
      params: f.params,
      run_id: f.runId,
      status: f.status,
      injected_at: f.injectedAt,
      restore_status: f.restoreStatus,
      restored_at: f.restoredAt,
    })),
    timeline_entries: entries.length,
    ...(record.faultInjectedAt !== null || entries.some((e) => e.kind === "fault.injected")
      ? { metrics: { ...deriveMetrics(entries) } }
      : {}),
    created_at: record.startedAt,
  };
  const last = entries.at(-1)?.at;
  const faultTimes = record.faults.flatMap((f) => [f.injectedAt, f.restoredAt]);
  const updated = [record.startedAt, record.endedAt, last, updatedAt, ...faultTimes]
    .filter((t): t is string => !!t)
    .sort()
    .at(-1);
  // Faults and verdicts change without a new entry: the tag is of the whole representation.
  return {
    ...body,
    updated_at: updated ?? record.startedAt,
    etag: computeEtag({ ...body, marks: entries.map((e) => e.correct) }),
  };
}
