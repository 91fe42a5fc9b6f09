import type { Selectable } from "kysely";
import { computeEtag, type FieldSpecs, type Page, type PageQuery } from "../../api/index.ts";
import { newId } from "../../core/index.ts";
import type { Database } from "../../store/index.ts";
import { TeamInvalidError } from "../team/errors.ts";
import { type Core, type RevisionTable, teamTable, type WriteOptions } from "../team/resource-table.ts";
import {
  ACTION_STATUSES,
  type ActionItem,
  type ActionItemCreate,
  type ActionItemUpdate,
  type ActionStatus,
  RETRO_KINDS,
  type RetroEntry,
  type RetroKind,
} from "./model.ts";

type ActionRow = Selectable<Database["action_items"]>;

export const ACTION_ITEM_FIELDS: FieldSpecs = {
  title: { type: "string", sortable: true },
  owner: { type: "string", sortable: true },
  status: { type: "string", values: ACTION_STATUSES, sortable: true },
  due_date: { type: "string" },
  session_id: { type: "string" },
  scenario: { type: "string" },
  created_at: { type: "timestamp", sortable: true },
  updated_at: { type: "timestamp", sortable: true },
};

export function toActionItem(row: ActionRow): ActionItem {
  const body = {
    id: row.id,
    title: row.title,
    owner: row.owner,
    ...(row.due_date !== null ? { due_date: row.due_date } : {}),
    status: row.status as ActionStatus,
    ...(row.session_id !== null ? { session_id: row.session_id } : {}),
    ...(row.scenario !== null ? { scenario: row.scenario } : {}),
    notes: row.notes,
    ...(row.closed_at !== null ? { closed_at: row.closed_at } : {}),
    created_at: row.created_at,
    updated_at: row.updated_at,
    ...(row.deleted_at ? { deleted_at: row.deleted_at } : {}),
  };
  return { ...body, etag: computeEtag(body) };
}

/** A real calendar day (the schema's pattern lets 2026-02-31 through). */
function checkDay(day: string | undefined, pointer: string): void {
  if (day === undefined) return;
  const d = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== day)
    throw new TeamInvalidError(`${day} is not a calendar day; use YYYY-MM-DD`, pointer);
}

/**
 * Action items: what a postmortem asks somebody to do, with an owner, a due date and a status.
 * `closed_at` is set when an item becomes done or dropped: re-runs of its scenario after that
 * instant are compared with the runs before (effect.ts).
 */
export class ActionItems {
  readonly #t: RevisionTable<ActionRow, ActionItem>;
  constructor(core: Core) {
    this.#t = teamTable<ActionRow, ActionItem>(core, {
      table: "action_items",
      what: "action item",
      fields: ACTION_ITEM_FIELDS,
      toEntity: toActionItem,
    });
  }

  async create(input: ActionItemCreate, options: WriteOptions = {}): Promise<ActionItem> {
    checkDay(input.due_date, "/due_date");
    const now = this.#t.now();
    const status = input.status ?? "open";
    return this.#t.insert(
      {
        id: newId("act", new Date(now)),
        title: input.title,
        owner: input.owner,
        due_date: input.due_date ?? null,
        status,
        session_id: input.session_id ?? null,
        scenario: input.scenario ?? null,
        notes: input.notes ?? "",
        closed_at: status === "open" ? null : now,
        created_at: now,
        updated_at: now,
        deleted_at: null,
        revision: 1,
      },
      options,
    );
  }

  list = (query: PageQuery): Promise<Page<ActionItem>> => this.#t.list(query);
  get = (id: string): Promise<ActionItem> => this.#t.get(id);

  /** Live items of a session, or of a scenario. */
  forSession = (sessionId: string): Promise<ActionItem[]> =>
    this.#t.all({ column: "session_id", value: sessionId });
  forScenario = (scenario: string): Promise<ActionItem[]> =>
    this.#t.all({ column: "scenario", value: scenario });

  update(id: string, patch: ActionItemUpdate, options: WriteOptions = {}): Promise<ActionItem> {
    checkDay(patch.due_date, "/due_date");
    const now = this.#t.now();
    return this.#t.update(
      id,
      (row) => ({
        ...(patch.title !== undefined ? { title: patch.title } : {}),
        ...(patch.owner !== undefined ? { owner: patch.owner } : {}),
        ...(patch.due_date !== undefined ? { due_date: patch.due_date } : {}),
        ...(patch.session_id !== undefined ? { session_id: patch.session_id } : {}),
        ...(patch.scenario !== undefined ? { scenario: patch.scenario } : {}),
        ...(patch.notes !== undefined ? { notes: patch.notes } : {}),
        ...(patch.status !== undefined && patch.status !== row.status
          ? { status: patch.status, closed_at: patch.status === "open" ? null : now }
          : {}),
      }),
      options,
    );
  }

  remove = (id: string, options: WriteOptions = {}): Promise<void> => this.#t.remove(id, options);
  undelete = (id: string, options: WriteOptions = {}): Promise<ActionItem> => this.#t.undelete(id, options);
}

/** What went well, wrong, or lucky in a session: appended, never edited. */
export class RetroEntries {
  readonly #core: Core;
  constructor(core: Core) {
    this.#core = core;
  }

  async add(sessionId: string, kind: RetroKind, text: string, by?: string): Promise<RetroEntry> {
    if (!(RETRO_KINDS as readonly string[]).includes(kind))
      throw new TeamInvalidError(`retro kind "${kind}" is not one of ${RETRO_KINDS.join(", ")}`, "/kind");
    if (text.trim().length === 0) throw new TeamInvalidError("a retro entry needs text", "/text");
    const now = this.#core.clock.now();
    const entry: RetroEntry = {
      id: newId("rtr", now),
      session_id: sessionId,
      kind,
      text: text.trim(),
      ...(by !== undefined ? { by } : {}),
      created_at: now.toISOString(),
    };
    await this.#core.store.db
      .insertInto("retro_entries")
      .values({ ...entry, by: by ?? null })
      .execute();
    return entry;
  }

  async forSession(sessionId: string): Promise<RetroEntry[]> {
    const rows = await this.#core.store.db
      .selectFrom("retro_entries")
      .selectAll()
      .where("session_id", "=", sessionId)
      .orderBy("id")
      .execute();
    return rows.map((r) => ({
      id: r.id,
      session_id: r.session_id,
      kind: r.kind as RetroKind,
      text: r.text,
      ...(r.by !== null ? { by: r.by } : {}),
      created_at: r.created_at,
    }));
  }
}
