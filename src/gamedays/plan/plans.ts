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
import type { Database } from "../../store/index.ts";
import { PlanChangedError, PlanInvalidError, PlanNotFoundError, PlanStateError } from "./errors.ts";
import { PLAN_STATUSES, type Plan, type PlanCreate, type PlanStatus, type PlanUpdate } from "./model.ts";
import { linkPlayedPlans } from "./played.ts";
import { suggestGms } from "./suggest.ts";

type Row = Selectable<Database["gameday_plans"]>;

export const PLAN_FIELDS: FieldSpecs = {
  scenario: { type: "string", sortable: true },
  at: { type: "timestamp", sortable: true },
  status: { type: "string", values: PLAN_STATUSES, sortable: true },
  gm: { type: "string" },
  session_id: { type: "string" },
  created_at: { type: "timestamp", sortable: true },
  updated_at: { type: "timestamp", sortable: true },
};

export function toPlan(row: Row): Plan {
  const body = {
    id: row.id,
    scenario: row.scenario,
    at: row.at,
    ...(row.gm !== null ? { gm: row.gm } : {}),
    players: JSON.parse(row.players) as Plan["players"],
    ...(row.note !== null ? { note: row.note } : {}),
    status: row.status as PlanStatus,
    ...(row.session_id !== null ? { session_id: row.session_id } : {}),
    created_at: row.created_at,
    updated_at: row.updated_at,
    ...(row.deleted_at ? { deleted_at: row.deleted_at } : {}),
  };
  return { ...body, etag: computeEtag(body) };
}

/**
 * Planned game days: a registered scenario, when, a GM (or the rotation's suggestion), players, a
 * note. Reads first link plans to the sessions that played them (played.ts), so every reader
 * — the API, the CLI, the wall — sees the same status. The routes and the CLI both go through this.
 *
 * @example
 * const plans = new Plans(app.core);
 * await plans.create({ scenario: "stale-banner", at: "2026-12-10T14:00:00Z", gm: "fay" });
 * (await plans.list({ filter: 'status = "planned"', sort: "at" })).items[0]?.gm_suggested;
 */
export class Plans {
  readonly #core: TableCore;
  readonly #t: RevisionTable<Row, Plan>;

  constructor(core: TableCore) {
    this.#core = core;
    this.#t = new RevisionTable<Row, Plan>(core, {
      table: "gameday_plans",
      fields: PLAN_FIELDS,
      toEntity: toPlan,
      notFound: (id) => new PlanNotFoundError(id),
      changed: (id) => new PlanChangedError(id),
      ifMatch: "required",
    });
  }

  get #db() {
    return this.#core.store.db;
  }

  async create(input: PlanCreate, options: WriteOptions = {}): Promise<Plan> {
    await this.#checkScenario(input.scenario);
    const at = this.#future(input.at);
    await this.#checkMembers(input.gm ?? null, input.players ?? []);
    const now = this.#t.now();
    const plan = await this.#t.insert(
      {
        id: newId("gdp", new Date(now)),
        scenario: input.scenario,
        at,
        gm: input.gm ?? null,
        players: JSON.stringify(input.players ?? []),
        note: input.note ?? null,
        status: "planned",
        session_id: null,
        created_at: now,
        updated_at: now,
        deleted_at: null,
        revision: 1,
      },
      options,
    );
    return (await this.#decorate([plan]))[0] ?? plan;
  }

  async list(query: PageQuery): Promise<Page<Plan>> {
    await this.#link();
    const page = await this.#t.list(query);
    const items = await this.#decorate(page.items);
    return page.next_cursor ? { items, next_cursor: page.next_cursor } : { items };
  }

  async get(id: string): Promise<Plan> {
    await this.#link();
    const plan = await this.#t.get(id);
    return (await this.#decorate([plan]))[0] ?? plan;
  }

  async update(id: string, patch: PlanUpdate, options: WriteOptions = {}): Promise<Plan> {
    await this.#link();
    const row = await this.#t.row(id);
    if (row.status === "played" && (patch.status !== undefined || patch.at !== undefined))
      throw new PlanStateError(
        `${id} was played (session ${row.session_id}); its time and status stay as they were`,
        id,
      );
    const at = patch.at !== undefined ? this.#future(patch.at) : undefined;
    if (at === undefined && patch.status === "planned" && row.status === "cancelled") this.#future(row.at);
    await this.#checkMembers(patch.gm ?? null, patch.players ?? []);
    const plan = await this.#t.update(
      id,
      () => ({
        ...(at !== undefined ? { at } : {}),
        ...(patch.gm !== undefined ? { gm: patch.gm } : {}),
        ...(patch.players !== undefined ? { players: JSON.stringify(patch.players) } : {}),
        ...(patch.note !== undefined ? { note: patch.note } : {}),
        ...(patch.status !== undefined ? { status: patch.status } : {}),
      }),
      options,
    );
    return (await this.#decorate([plan]))[0] ?? plan;
  }

  /** Call it off, under If-Match like any write (the CLI reads the ETag first). */
  cancel = (id: string, options: WriteOptions = {}): Promise<Plan> =>
    this.update(id, { status: "cancelled" }, options);

  remove = (id: string, options: WriteOptions = {}): Promise<void> => this.#t.remove(id, options);

  async undelete(id: string, options: WriteOptions = {}): Promise<Plan> {
    const plan = await this.#t.undelete(id, options);
    return (await this.#decorate([plan]))[0] ?? plan;
  }

  #link(): Promise<void> {
    return linkPlayedPlans(this.#core.store, this.#core.clock);
  }

  /** Plans without a GM get the rotation's suggestion (not part of the ETag: it is not stored). */
  async #decorate(plans: readonly Plan[]): Promise<Plan[]> {
    if (!plans.some((p) => p.gm === undefined && p.status === "planned")) return [...plans];
    const suggested = await suggestGms(this.#core.store, this.#core.clock);
    return plans.map((p) => {
      const s = p.gm === undefined && p.status === "planned" ? suggested.get(p.id) : undefined;
      return s ? { ...p, gm_suggested: s } : p;
    });
  }

  async #checkScenario(name: string): Promise<void> {
    const registered = await this.#db
      .selectFrom("gameday_scenarios")
      .select("name")
      .where("name", "=", name)
      .executeTakeFirst();
    if (registered) return;
    const played = await this.#db
      .selectFrom("gameday_sessions")
      .select("scenario_name")
      .where("scenario_name", "=", name)
      .executeTakeFirst();
    if (played) return;
    throw new PlanInvalidError(
      `no scenario named "${name}" is registered or was played here; register it first (POST /api/scenarios, or play it once with \`opsdojo gameday start FILE\`), or check the name (\`opsdojo gameday list\` shows played ones)`,
      "/scenario",
    );
  }

  /** The instant in UTC, refused when it is not after now. */
  #future(at: string): string {
    const ms = Date.parse(at);
    if (Number.isNaN(ms))
      throw new PlanInvalidError(
        `"${at}" is not a time; use RFC 3339, e.g. 2026-12-10T14:00:00+01:00`,
        "/at",
      );
    if (ms <= this.#core.clock.now().getTime())
      throw new PlanInvalidError(
        `${new Date(ms).toISOString()} is in the past (now ${this.#core.clock.now().toISOString()}); plan a game day ahead`,
        "/at",
      );
    return new Date(ms).toISOString();
  }

  async #checkMembers(gm: string | null, players: readonly { name: string }[]): Promise<void> {
    const names = [...(gm !== null ? [gm] : []), ...players.map((p) => p.name)];
    if (names.length === 0) return;
    const rows = await this.#db
      .selectFrom("team_members")
      .select("name")
      .where("deleted_at", "is", null)
      .where("name", "in", names)
      .execute();
    const known = new Set(rows.map((r) => r.name));
    const unknown = names.find((n) => !known.has(n));
    if (unknown === undefined) return;
    throw new PlanInvalidError(
      `"${unknown}" is not a team member; \`opsdojo team add ${unknown} --class …\` adds them, \`opsdojo team list\` shows the team`,
      unknown === gm ? "/gm" : "/players",
    );
  }
}
