import {
  type CoreContext,
  type CrudService,
  checkIfMatch,
  type FieldSpecs,
  type Page,
  type PageQuery,
  paginate,
  restored,
  softDeleted,
  type WriteOptions,
  writeAtRevision,
} from "../api/index.ts";
import { newId } from "../core/index.ts";
import {
  type ChangeFeed,
  isUniqueViolation,
  preparedFirst,
  preparedQuery,
  RowCache,
} from "../store/index.ts";
import { ServiceChangedError, ServiceNameTakenError, ServiceNotFoundError } from "./errors.ts";
import { type HistoryQuery, listHistory, recordTransition, sweepHistory } from "./health-history.ts";
import { DEFAULT_HEALTH_POLICY, type HealthPolicy } from "./health-target.ts";
import {
  type ConformanceResult,
  type HealthEvent,
  LIFECYCLES,
  type Service,
  type ServiceCreate,
  type ServiceUpdate,
} from "./model.ts";
import { checkHealthTargets, checkInstances, checkVersions } from "./rules.ts";
import { type HealthRow, type ServiceRow, storedService, toService } from "./store.ts";

export const SERVICE_FIELDS: FieldSpecs = {
  name: { type: "string", sortable: true },
  owner: { type: "string", sortable: true },
  lifecycle: { type: "string", values: LIFECYCLES, sortable: true },
  created_at: { type: "timestamp", sortable: true },
  updated_at: { type: "timestamp", sortable: true },
};

export type { WriteOptions };

/** A server's core has a change feed; the CLI's has none (it reads each entry once). */
type Core = Pick<CoreContext, "store" | "clock" | "cursors"> & { readonly changes?: ChangeFeed };

/**
 * The service directory: entries for every API service (ours and others'), their versions,
 * instances and health. Routes and the CLI both call this; neither touches the tables.
 */
const CACHE_SIZE = 5000;
/** How often an unchanged health result is stored anyway (so checked_at stays recent). */
export const HEALTH_REFRESH_MS = 5 * 60_000;

export class Directory implements CrudService<Service, ServiceCreate, ServiceUpdate> {
  readonly #core: Core;
  /** One prepared query for the entry and its instances' health: the hottest read of the unit. */
  readonly #getWithHealth;
  /** How the entry stands (revision, health version): a point read of two integers. */
  readonly #head;
  /**
   * Representations by id, each with the (revision, health_version) it was built at. A read asks
   * the store only for those two numbers and rebuilds when either moved — written by this node
   * or any other — so a hit is always exactly the stored state.
   */
  readonly #cache = new Map<string, { revision: number; health: number; service: Service }>();
  /**
   * With a change feed: representations served without asking the store at all, until a change
   * to the entry's row (any write, any health poll that stored something, on any node) arrives.
   * Only while the feed is live; otherwise the (revision, health_version) read above decides.
   */
  readonly #fresh: RowCache<Service> | undefined;

  /** Where health URLs may point (`serve --health-allow`); checked on every write of them. */
  readonly #healthPolicy: HealthPolicy;

  constructor(core: Core, options: { healthPolicy?: HealthPolicy } = {}) {
    this.#core = core;
    this.#healthPolicy = options.healthPolicy ?? DEFAULT_HEALTH_POLICY;
    this.#fresh = core.changes
      ? new RowCache<Service>(core.changes, "services", (s) => s.id, CACHE_SIZE)
      : undefined;
    this.#head = preparedFirst(core.store, ["svc_sample"] as [string], (db, id) =>
      db.selectFrom("services").select(["revision", "health_version"]).where("id", "=", id),
    );
    this.#getWithHealth = preparedQuery(core.store, ["svc_sample"] as [string], (db, id) =>
      db
        .selectFrom("services")
        .leftJoin("service_instance_health as h", "h.service_id", "services.id")
        .selectAll("services")
        .select([
          "h.base_url as h_base_url",
          "h.status as h_status",
          "h.checked_at as h_checked_at",
          "h.detail as h_detail",
        ])
        .where("services.id", "=", id),
    );
  }

  /** Stop listening for changes (the unit's stop). */
  close(): void {
    this.#fresh?.close();
  }

  get #db() {
    return this.#core.store.db;
  }

  async create(input: ServiceCreate, options: WriteOptions = {}): Promise<Service> {
    const versions = input.versions ?? [];
    checkVersions(versions);
    const instances = checkInstances(input.instances ?? []);
    checkHealthTargets(instances, input.health_url, this.#healthPolicy);
    const now = this.#core.clock.now();
    const row: ServiceRow = {
      id: newId("svc", now),
      name: input.name,
      owner: input.owner,
      description: input.description ?? "",
      lifecycle: input.lifecycle ?? "experimental",
      versions: JSON.stringify(versions),
      instances: JSON.stringify(instances),
      health_url: input.health_url ?? null,
      conformance: null,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
      deleted_at: null,
      revision: 1,
      health_version: 0,
    };
    if (options.validateOnly) {
      await this.#assertNameFree(input.name, undefined);
      return toService(row, []);
    }
    try {
      await this.#db.insertInto("services").values(row).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw new ServiceNameTakenError(input.name);
      throw error;
    }
    return toService(row, []);
  }

  async list(query: PageQuery): Promise<Page<Service>> {
    const page = await paginate(this.#db.selectFrom("services").selectAll(), query, {
      collection: "services",
      fields: SERVICE_FIELDS,
      codec: this.#core.cursors,
      deletedColumn: "deleted_at",
    });
    const health = await this.#health(page.items.map((r) => r.id));
    const items = page.items.map((r) => storedService(r, health.get(r.id) ?? []));
    return page.next_cursor ? { items, next_cursor: page.next_cursor } : { items };
  }

  /** The entry, soft-deleted or not; throws when no entry has this id. */
  async get(id: string): Promise<Service> {
    const fresh = this.#fresh?.get(id);
    if (fresh) return fresh;
    const generation = this.#fresh?.begin() ?? 0;
    const head = await this.#head(id);
    if (!head) throw new ServiceNotFoundError(id);
    const cached = this.#cache.get(id);
    if (cached && cached.revision === head.revision && cached.health === head.health_version) {
      this.#fresh?.set(id, cached.service, generation);
      return cached.service;
    }
    const rows = await this.#getWithHealth(id);
    const first = rows[0];
    if (!first) throw new ServiceNotFoundError(id);
    const { h_base_url: _u, h_status: _s, h_checked_at: _c, h_detail: _d, ...row } = first;
    const health: HealthRow[] = [];
    for (const r of rows) {
      if (r.h_base_url !== null && r.h_status !== null && r.h_checked_at !== null) {
        health.push({
          base_url: r.h_base_url,
          status: r.h_status,
          checked_at: r.h_checked_at,
          detail: r.h_detail,
        });
      }
    }
    const service = toService(row, health);
    if (this.#cache.size >= CACHE_SIZE) this.#cache.delete(this.#cache.keys().next().value as string);
    this.#cache.set(id, { revision: row.revision, health: row.health_version, service });
    this.#fresh?.set(id, service, generation);
    return service;
  }

  /** The live entry with this name, if any. */
  async findByName(name: string): Promise<Service | undefined> {
    const row = await this.#db
      .selectFrom("services")
      .selectAll()
      .where("name", "=", name)
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    return row ? toService(row, (await this.#health([row.id])).get(row.id) ?? []) : undefined;
  }

  async update(id: string, patch: ServiceUpdate, options: WriteOptions = {}): Promise<Service> {
    const row = await this.#row(id);
    const current = toService(row, (await this.#health([id])).get(id) ?? []);
    checkIfMatch(options.ifMatch, current.etag, "optional");
    if (patch.versions) checkVersions(patch.versions);
    const instances = patch.instances ? checkInstances(patch.instances) : undefined;
    // Only what the patch changes is judged: an entry stored before a stricter policy can still
    // be edited otherwise (the poller shows why it is not polled).
    if (instances !== undefined || patch.health_url !== undefined) {
      const stored = JSON.parse(row.instances) as { base_url: string }[];
      checkHealthTargets(instances ?? stored, patch.health_url ?? row.health_url, this.#healthPolicy);
    }
    const next: ServiceRow = {
      ...row,
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.owner !== undefined ? { owner: patch.owner } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.lifecycle !== undefined ? { lifecycle: patch.lifecycle } : {}),
      ...(patch.versions !== undefined ? { versions: JSON.stringify(patch.versions) } : {}),
      ...(instances !== undefined ? { instances: JSON.stringify(instances) } : {}),
      ...(patch.health_url !== undefined ? { health_url: patch.health_url } : {}),
      updated_at: this.#core.clock.now().toISOString(),
      revision: row.revision + 1,
    };
    if (options.validateOnly) {
      if (patch.name !== undefined && patch.name !== row.name && row.deleted_at === null) {
        await this.#assertNameFree(patch.name, id);
      }
      return toService(next, (await this.#health([id])).get(id) ?? []);
    }
    await this.#write(row, next, () => new ServiceNameTakenError(next.name));
    return this.get(id);
  }

  /** Soft delete: the entry stays readable with `deleted_at` and can be undeleted. */
  async remove(id: string, options: WriteOptions = {}): Promise<void> {
    const row = await this.#row(id);
    checkIfMatch(options.ifMatch, toService(row, (await this.#health([id])).get(id) ?? []).etag, "optional");
    if (options.validateOnly || row.deleted_at !== null) return;
    await this.#write(row, softDeleted(row, this.#core.clock.now().toISOString()), undefined);
  }

  async undelete(id: string, options: WriteOptions = {}): Promise<Service> {
    const row = await this.#row(id);
    checkIfMatch(options.ifMatch, toService(row, (await this.#health([id])).get(id) ?? []).etag, "optional");
    if (row.deleted_at === null) return this.get(id);
    if (options.validateOnly) {
      await this.#assertNameFree(row.name, id);
      return toService({ ...row, deleted_at: null }, (await this.#health([id])).get(id) ?? []);
    }
    await this.#write(
      row,
      restored(row, this.#core.clock.now().toISOString()),
      () => new ServiceNameTakenError(row.name),
    );
    return this.get(id);
  }

  /**
   * Store the latest conformance result on the entry. Like health, it is observed, not edited:
   * `updated_at` stays, but the representation (and so the ETag) changes.
   */
  async recordConformance(
    id: string,
    result: ConformanceResult,
    options: WriteOptions = {},
  ): Promise<Service> {
    const row = await this.#row(id);
    checkIfMatch(options.ifMatch, toService(row, (await this.#health([id])).get(id) ?? []).etag, "optional");
    const next = { ...row, conformance: JSON.stringify(result), revision: row.revision + 1 };
    if (options.validateOnly) return toService(next, (await this.#health([id])).get(id) ?? []);
    await this.#write(row, next, undefined);
    return this.get(id);
  }

  /** Store the outcome of a health poll of one instance. */
  async recordHealth(serviceId: string, h: HealthRow): Promise<void> {
    // A poll that sees what the last one saw changes nothing for clients, so it is stored only
    // when the status or detail moved, or every HEALTH_REFRESH_MS at least: ETags then stay put
    // between real changes instead of moving with every poll of every node.
    const last = await this.#db
      .selectFrom("service_instance_health")
      .select(["status", "detail", "checked_at"])
      .where("service_id", "=", serviceId)
      .where("base_url", "=", h.base_url)
      .executeTakeFirst();
    // The history keeps transitions only (docs/directory.md "Health history").
    if (last?.status !== h.status) {
      await recordTransition(this.#db, serviceId, {
        base_url: h.base_url,
        status: h.status,
        previous_status: last?.status ?? "unknown",
        at: h.checked_at,
        detail: h.detail,
      });
    }
    if (
      last &&
      last.status === h.status &&
      last.detail === h.detail &&
      Date.parse(h.checked_at) - Date.parse(last.checked_at) < HEALTH_REFRESH_MS
    ) {
      return;
    }
    await this.#db
      .insertInto("service_instance_health")
      .values({ service_id: serviceId, ...h })
      .onConflict((oc) =>
        oc
          .columns(["service_id", "base_url"])
          .doUpdateSet({ status: h.status, checked_at: h.checked_at, detail: h.detail }),
      )
      .execute();
    await this.#db
      .updateTable("services")
      .set((eb) => ({ health_version: eb("health_version", "+", 1) }))
      .where("id", "=", serviceId)
      .execute();
    this.#fresh?.invalidate(serviceId);
  }

  /** The entry's health transitions, newest first; the entry may be soft-deleted. */
  async history(id: string, query: HistoryQuery): Promise<Page<HealthEvent>> {
    if (!(await this.#head(id))) throw new ServiceNotFoundError(id);
    return listHistory(this.#db, this.#core.cursors, id, query);
  }

  /** Drop transitions past the history's age bound, of every instance (the poller calls it hourly). */
  sweepHistory(): Promise<number> {
    return sweepHistory(this.#db, this.#core.clock.now());
  }

  /** Every live entry with instances, for the health poller. */
  async pollTargets(): Promise<Service[]> {
    const rows = await this.#db.selectFrom("services").selectAll().where("deleted_at", "is", null).execute();
    return rows.map((r) => toService(r, [])).filter((s) => s.instances.length > 0);
  }

  async #row(id: string): Promise<ServiceRow> {
    const row = await this.#db.selectFrom("services").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row) throw new ServiceNotFoundError(id);
    return row;
  }

  async #health(ids: readonly string[]): Promise<Map<string, HealthRow[]>> {
    const out = new Map<string, HealthRow[]>();
    if (ids.length === 0) return out;
    const rows = await this.#db
      .selectFrom("service_instance_health")
      .select(["service_id", "base_url", "status", "checked_at", "detail"])
      .where("service_id", "in", ids)
      .execute();
    for (const { service_id, ...h } of rows) out.set(service_id, [...(out.get(service_id) ?? []), h]);
    return out;
  }

  async #assertNameFree(name: string, exceptId: string | undefined): Promise<void> {
    const other = await this.findByName(name);
    if (other && other.id !== exceptId) throw new ServiceNameTakenError(name);
  }

  /** Optimistic write: only if nobody else wrote since we read (revision unchanged). */
  async #write(before: ServiceRow, after: ServiceRow, onUnique: (() => Error) | undefined): Promise<void> {
    // health_version belongs to the poller: never write back the value read with the row.
    const { id, health_version: _health, ...values } = after;
    await writeAtRevision(this.#db, {
      table: "services",
      id,
      expected: before.revision,
      values,
      changed: () =>
        new ServiceChangedError(id, `service ${id} was changed by another request; read it again and retry`),
      onUnique,
    });
    // This node reads its own writes at once; the notification reaches the others (and, on
    // PostgreSQL, this node too, a little later).
    this.#fresh?.invalidate(id);
  }
}
