import type { Selectable } from "kysely";
import {
  computeEtag,
  type FieldSpecs,
  type Page,
  type PageQuery,
  RevisionTable,
  type TableCore,
  type WriteOptions,
} from "../../api/index.ts";
import { newId } from "../../core/index.ts";
import type { LearningAttendance } from "../../gamedays/index.ts";
import type { Database, Store } from "../../store/index.ts";
import { LearningEventChangedError, LearningInvalidError, LearningNotFoundError } from "../errors.ts";
import {
  EVENT_KINDS,
  type EventKind,
  type LearningEvent,
  type LearningEventCreate,
  type LearningEventUpdate,
} from "./model.ts";

type Row = Selectable<Database["learning_events"]>;

export const LEARNING_EVENT_FIELDS: FieldSpecs = {
  kind: { type: "string", values: EVENT_KINDS, sortable: true },
  topic: { type: "string", sortable: true },
  held_on: { type: "string", sortable: true },
  facilitator: { type: "string", sortable: true },
  created_at: { type: "timestamp", sortable: true },
  updated_at: { type: "timestamp", sortable: true },
};

export function toLearningEvent(row: Row): LearningEvent {
  const body = {
    id: row.id,
    kind: row.kind as EventKind,
    topic: row.topic,
    held_on: row.held_on,
    skills: JSON.parse(row.skills) as string[],
    facilitator: row.facilitator,
    participants: JSON.parse(row.participants) as string[],
    ...(row.materials_url !== null ? { materials_url: row.materials_url } : {}),
    created_at: row.created_at,
    updated_at: row.updated_at,
    ...(row.deleted_at ? { deleted_at: row.deleted_at } : {}),
  };
  return { ...body, etag: computeEtag(body) };
}

/** A real calendar day (the schema's pattern lets 2026-02-31 through). */
function checkDay(day: string | undefined): void {
  if (day === undefined) return;
  const d = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== day)
    throw new LearningInvalidError(`${day} is not a calendar day; use YYYY-MM-DD`, "/held_on");
}

const sortedSet = (list: readonly string[]) => JSON.stringify([...new Set(list)].sort());

/**
 * Learning events: brownbags, katas, dojos, hackdays and popup classes, with the skill areas
 * they teach, a facilitator and who attended. The API routes and the CLI both go through this.
 */
export class LearningEvents {
  readonly #t: RevisionTable<Row, LearningEvent>;
  constructor(core: TableCore) {
    this.#t = new RevisionTable<Row, LearningEvent>(core, {
      table: "learning_events",
      fields: LEARNING_EVENT_FIELDS,
      toEntity: toLearningEvent,
      notFound: (id) => new LearningNotFoundError("learning event", id, "`opsdojo learn list` lists them"),
      changed: (id) => new LearningEventChangedError(id),
    });
  }

  async create(input: LearningEventCreate, options: WriteOptions = {}): Promise<LearningEvent> {
    checkDay(input.held_on);
    const now = this.#t.now();
    return this.#t.insert(
      {
        id: newId("lev", new Date(now)),
        kind: input.kind,
        topic: input.topic,
        held_on: input.held_on,
        skills: sortedSet(input.skills ?? []),
        facilitator: input.facilitator,
        participants: sortedSet(input.participants ?? []),
        materials_url: input.materials_url ?? null,
        created_at: now,
        updated_at: now,
        deleted_at: null,
        revision: 1,
      },
      options,
    );
  }

  list = (query: PageQuery): Promise<Page<LearningEvent>> => this.#t.list(query);
  get = (id: string): Promise<LearningEvent> => this.#t.get(id);
  all = (): Promise<LearningEvent[]> => this.#t.all();

  update(id: string, patch: LearningEventUpdate, options: WriteOptions = {}): Promise<LearningEvent> {
    checkDay(patch.held_on);
    return this.#t.update(
      id,
      () => ({
        ...(patch.kind !== undefined ? { kind: patch.kind } : {}),
        ...(patch.topic !== undefined ? { topic: patch.topic } : {}),
        ...(patch.held_on !== undefined ? { held_on: patch.held_on } : {}),
        ...(patch.skills !== undefined ? { skills: sortedSet(patch.skills) } : {}),
        ...(patch.facilitator !== undefined ? { facilitator: patch.facilitator } : {}),
        ...(patch.participants !== undefined ? { participants: sortedSet(patch.participants) } : {}),
        ...(patch.materials_url !== undefined ? { materials_url: patch.materials_url } : {}),
      }),
      options,
    );
  }

  remove = (id: string, options: WriteOptions = {}): Promise<void> => this.#t.remove(id, options);
  undelete = (id: string, options: WriteOptions = {}): Promise<LearningEvent> =>
    this.#t.undelete(id, options);
}

/** Who learned what where: every participant and the facilitator of every live event. */
export function attendanceOf(events: readonly LearningEvent[]): LearningAttendance[] {
  return events.flatMap((e) =>
    [...new Set([e.facilitator, ...e.participants])].map((person) => ({
      event_id: e.id,
      person,
      areas: e.skills,
      held_on: e.held_on,
    })),
  );
}

/** Every live learning event straight from the table (for evidence and competence). */
export async function loadLearningEvents(store: Store): Promise<LearningEvent[]> {
  const rows = await store.db
    .selectFrom("learning_events")
    .selectAll()
    .where("deleted_at", "is", null)
    .orderBy("held_on")
    .orderBy("id")
    .execute();
  return rows.map(toLearningEvent);
}
