import { NotApplicable, Violation } from "./errors.ts";
import { type Exchange, isObject, type Probe, type ProbeRequest } from "./http.ts";
import type { Coverage, Evidence, Level, RuleId } from "./model.ts";
import type { Names, Profile } from "./profile.ts";
import { invalidVariants, validSample } from "./sample.ts";
import { type ApiDescription, type Collection, itemPath } from "./spec.ts";

/** A resource the suite created (and will delete afterwards). */
export interface Fixture {
  readonly id: string;
  readonly body: Record<string, unknown>;
  readonly created: Exchange;
}

export interface Context {
  readonly probe: Probe;
  readonly profile: Profile;
  readonly names: Names;
  /** Undefined when the service publishes no (readable) OpenAPI document. */
  readonly api: ApiDescription | undefined;
  /** Why `api` is undefined, for skip reasons. */
  readonly apiProblem: string | undefined;
  readonly collection: Collection | undefined;
  readonly allowWrites: boolean;
  readonly seed: number;
  readonly fixtures: Fixtures;
  /** Filled in by CB-30: how many generated requests reached a handler. */
  coverage: Coverage;
}

/** What a rule uses to talk to the service; it keeps this rule's exchanges as its evidence. */
export class Recorder {
  readonly exchanges: Exchange[] = [];
  readonly notes = new Map<Exchange, string>();
  /** Problems found so far; the rule goes on looking and fails with all of them at the end. */
  readonly problems: Array<{ reason: string; exchange?: Exchange; pointer?: string }> = [];
  readonly #probe: Probe;
  constructor(probe: Probe) {
    this.#probe = probe;
  }

  /** Sends a request; one the suite must keep to itself (see Probe) makes the rule a skip. */
  async send(request: ProbeRequest): Promise<Exchange> {
    const exchange = await this.#probe.send(request);
    this.exchanges.push(exchange);
    if (exchange.withheld !== undefined) this.skip(`not judged: ${exchange.withheld}`);
    return exchange;
  }

  /** Fail the rule, showing these exchanges (default: the last one) as evidence. */
  fail(reason: string, ...evidence: Exchange[]): never {
    for (const e of evidence) if (!this.exchanges.includes(e)) this.exchanges.push(e);
    this.#focus = evidence.length > 0 ? evidence : this.exchanges.slice(-1);
    const shown = this.#focus[0];
    this.problems.push({ reason, ...(shown !== undefined ? { exchange: shown } : {}) });
    throw new Violation(reason);
  }

  /** Note a problem and go on checking: a report lists every problem of a rule, not the first. */
  problem(reason: string, exchange?: Exchange, pointer?: string): void {
    if (this.problems.some((p) => p.reason === reason && p.pointer === pointer)) return;
    if (exchange !== undefined && !this.exchanges.includes(exchange)) this.exchanges.push(exchange);
    this.problems.push({
      reason,
      ...(exchange !== undefined ? { exchange } : {}),
      ...(pointer !== undefined ? { pointer } : {}),
    });
  }

  /** Keep an exchange made outside `send` (in parallel, or without skipping on withheld) as evidence. */
  keep(exchange: Exchange): void {
    if (!this.exchanges.includes(exchange)) this.exchanges.push(exchange);
  }

  skip(reason: string): never {
    throw new NotApplicable(reason);
  }

  #focus: Exchange[] | undefined;

  evidence(probe: Probe, max = 3): Evidence[] {
    const found = this.problems.flatMap((p) => (p.exchange ? [p.exchange] : []));
    const chosen =
      found.length > 0
        ? [...new Set([...(this.#focus ?? []), ...found])]
        : (this.#focus ?? this.exchanges.slice(-max));
    return chosen.slice(0, max).map((e) => probe.evidence(e));
  }
}

export interface Rule {
  readonly id: RuleId;
  readonly level: Level;
  readonly title: string;
  /** Returns the one-line reason it passed; throws Violation / NotApplicable otherwise. */
  check(ctx: Context, rec: Recorder): Promise<string>;
}

/** Create, find and clean up the resources the rules need. */
export class Fixtures {
  readonly created: Fixture[] = [];
  #seed: number;
  readonly #ctx: () => Context;

  constructor(seed: number, ctx: () => Context) {
    this.#seed = seed;
    this.#ctx = ctx;
  }

  requireCollection(rec: Recorder): Collection {
    const ctx = this.#ctx();
    if (!ctx.collection) {
      rec.skip(
        ctx.api
          ? "the OpenAPI document describes no paginated collection ({items: [...]}); name one with profile collection"
          : `no OpenAPI document (${ctx.apiProblem}); name a collection with profile collection`,
      );
    }
    return ctx.collection;
  }

  /** The collection, when it has pages to follow: a documented bare array has none (CB-13 says so). */
  requirePages(rec: Recorder): Collection {
    const collection = this.requireCollection(rec);
    if (collection.shape === "array")
      rec.skip(
        `GET ${collection.path} is documented as a bare array (CB-13 fails): there are no pages to follow`,
      );
    return collection;
  }

  requireWrites(rec: Recorder, what: string): Collection {
    const ctx = this.#ctx();
    const collection = this.requireCollection(rec);
    if (!ctx.allowWrites)
      rec.skip(
        "needs fixtures it may create and delete: rerun with --allow-writes (or profile allow_writes: true)",
      );
    if (!collection.create)
      rec.skip(`${what} needs a create operation (POST ${collection.path}) and there is none`);
    return collection;
  }

  /** Set once the service refused a body of required fields only: generate whole bodies then. */
  #minimalRefused = false;

  /** A body the service accepted: later bodies are made from it, with fresh `conform-…` strings. */
  #knownGood: Record<string, unknown> | undefined;

  /** A valid create body: the profile's, else one like a body the service accepted, else generated. */
  validBody(): Record<string, unknown> {
    const ctx = this.#ctx();
    if (ctx.profile.create_body)
      return { ...ctx.profile.create_body, ...uniqueName(ctx.profile.create_body, this.#seed++) };
    if (this.#knownGood) return relabel(this.#knownGood) as Record<string, unknown>;
    const schema = ctx.collection?.create?.requestBody;
    const value = validSample(schema, this.#seed++, !this.#minimalRefused);
    return isObject(value) ? value : {};
  }

  /** A body for the update operation that changes the fixture (a free-text field, else an enum). */
  changeBody(fixture: Fixture): Record<string, unknown> {
    const update = this.#ctx().collection?.update;
    const schema = update?.requestBody;
    const props = isObject(schema) && isObject(schema.properties) ? schema.properties : {};
    const change: Record<string, unknown> = {};
    const fixed = ["id", "etag", "created_at", "updated_at", "deleted_at", "name"];
    const free = Object.entries(props).find(
      ([k, p]) =>
        !fixed.includes(k) &&
        isObject(p) &&
        p.type === "string" &&
        !p.enum &&
        !p.pattern &&
        !p.format &&
        typeof fixture.body[k] === "string",
    );
    if (free) {
      const [k, p] = free as [string, Record<string, unknown>];
      change[k] = `${String(fixture.body[k])} (changed by conform)`.slice(
        0,
        typeof p.maxLength === "number" ? p.maxLength : 200,
      );
    } else {
      const choice = Object.entries(props).find(
        ([k, p]) => !fixed.includes(k) && isObject(p) && Array.isArray(p.enum) && p.enum.length > 1,
      );
      if (choice) {
        const [k, p] = choice as [string, { enum: unknown[] }];
        change[k] = p.enum.find((v) => v !== fixture.body[k]);
      }
    }
    if (update?.method === "PUT") {
      const body = { ...fixture.body, ...change };
      for (const k of fixed) if (k !== "name") delete body[k];
      return body;
    }
    return change;
  }

  invalidBodies(): ReturnType<typeof invalidVariants> {
    const ctx = this.#ctx();
    return invalidVariants(ctx.collection?.create?.requestBody, this.validBody());
  }

  /** Create one fixture (retrying a few generated bodies on 400/409/422). */
  async create(rec: Recorder, what: string, headers: Record<string, string> = {}): Promise<Fixture> {
    const collection = this.requireWrites(rec, what);
    let last: Exchange | undefined;
    for (let attempt = 0; attempt < 6; attempt++) {
      const body = this.validBody();
      const created = await rec.send({
        method: "POST",
        path: collection.path,
        body,
        headers,
        note: "create a fixture",
      });
      last = created;
      if (
        created.status >= 200 &&
        created.status < 300 &&
        isObject(created.json) &&
        typeof created.json.id === "string"
      ) {
        this.#knownGood ??= body;
        const fixture = { id: created.json.id, body: created.json, created };
        this.created.push(fixture);
        return fixture;
      }
      if (![400, 409, 422].includes(created.status)) break;
      if (!this.#ctx().profile.create_body && !this.#knownGood) this.#minimalRefused = true;
    }
    // A 5xx is the service's fault; a refusal of every body we generated may be ours.
    if (last && (last.status >= 500 || last.status === 0)) {
      return rec.fail(`creating a fixture answered ${last.status || last.error}`, last);
    }
    return rec.skip(
      `could not create a fixture: the service refused every generated body (last answer ${last?.status}); give a valid one as profile create_body`,
    );
  }

  /** Up to `limit` items from the first page of the collection. */
  async firstPage(
    rec: Recorder,
    limit: number,
    query: Record<string, string> = {},
  ): Promise<{ exchange: Exchange; items: Record<string, unknown>[] }> {
    const ctx = this.#ctx();
    const collection = this.requireCollection(rec);
    const exchange = await rec.send({ path: collection.path, query: { [ctx.names.limit]: limit, ...query } });
    // A bare array still lists the items (CB-13 judges its shape): rules about items go on.
    const items = Array.isArray(exchange.json)
      ? exchange.json
      : isObject(exchange.json)
        ? exchange.json[ctx.names.items]
        : undefined;
    if (exchange.status !== 200 || !Array.isArray(items)) {
      rec.fail(
        `GET ${collection.path} answered ${exchange.status} without an "${ctx.names.items}" array`,
        exchange,
      );
    }
    return { exchange, items: items.filter(isObject) };
  }

  /** Make sure the collection has at least `n` items, creating fixtures when allowed. */
  async ensureItems(rec: Recorder, n: number, what: string): Promise<void> {
    const { items } = await this.firstPage(rec, Math.max(n, 2));
    const ctx = this.#ctx();
    if (items.length >= n) return;
    if (!ctx.allowWrites)
      rec.skip(
        `needs ${n} items in the collection (it has ${items.length}): rerun with --allow-writes to let the suite create them`,
      );
    for (let i = items.length; i < n; i++) await this.create(rec, what);
  }

  /** Any existing item: a created fixture, else the first of the list. */
  async anyItem(rec: Recorder, what: string): Promise<{ id: string; path: string }> {
    const collection = this.requireCollection(rec);
    const mine = this.created[0];
    if (mine) return { id: mine.id, path: itemPath(collection, mine.id) };
    const { items } = await this.firstPage(rec, 1);
    const first = items[0];
    if (first && typeof first.id === "string") return { id: first.id, path: itemPath(collection, first.id) };
    if (this.#ctx().allowWrites && collection.create) {
      const created = await this.create(rec, what);
      return { id: created.id, path: itemPath(collection, created.id) };
    }
    return rec.skip(
      `needs one item in ${collection.path}, which is empty: rerun with --allow-writes to let the suite create it`,
    );
  }

  /** Delete every fixture this run created. */
  async cleanup(probe: Probe): Promise<number> {
    const collection = this.#ctx().collection;
    if (!collection?.remove) return 0;
    let removed = 0;
    for (const f of this.created.splice(0)) {
      const r = await probe.send({
        method: "DELETE",
        path: itemPath(collection, f.id),
        note: "clean up a fixture",
      });
      if (r.status < 300 || r.status === 404) removed++;
    }
    return removed;
  }
}

/**
 * The largest page to ask for: the convention's maximum (500), or the documented maximum of the
 * limit parameter when it is lower — asking past it would only test the server's patience.
 */
export function pageLimit(ctx: Context, collection: Collection): number {
  const param = collection.list.parameters.find((p) => p.name === ctx.names.limit && p.in === "query");
  const max = param?.schema.maximum;
  return typeof max === "number" && Number.isInteger(max) && max >= 1 ? Math.min(max, 500) : 500;
}

/** The same value with every `conform-…` string made fresh (unique names stay unique). */
function relabel(value: unknown): unknown {
  if (typeof value === "string" && value.startsWith("conform-")) {
    return `conform-${Math.random()
      .toString(36)
      .slice(2, 2 + Math.max(4, value.length - 8))}`.slice(0, value.length);
  }
  if (Array.isArray(value)) return value.map(relabel);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, relabel(v)]));
  return value;
}

function uniqueName(body: Record<string, unknown>, seed: number): Record<string, unknown> {
  return typeof body.name === "string"
    ? { name: `${body.name}-${seed.toString(36)}${Math.random().toString(36).slice(2, 6)}` }
    : {};
}
