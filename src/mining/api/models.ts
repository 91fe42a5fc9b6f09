import { createHash } from "node:crypto";
import type { Selectable } from "kysely";
import type { Static } from "typebox";
import { type CoreContext, type FieldSpecs, type Page, type PageQuery, paginate } from "../../api/index.ts";
import { messageOf, newId } from "../../core/index.ts";
import type { Database } from "../../store/index.ts";
import {
  ALGORITHMS,
  type Algorithm,
  type Dfg,
  type DiscoveredModel,
  type ModelFormat,
  type ProcessModelJson,
  type RenderOptions,
  renderModel,
} from "../discovery/index.ts";
import { netFromJson, type PetriNetJson } from "../petri/index.ts";
import {
  type DiscoverTask,
  type JobLog,
  MiningLimitError,
  type MiningLimits,
  type MiningWorkers,
  type UploadedLog,
} from "../workers/index.ts";
import { MiningInputError, MiningModelNotFoundError } from "./errors.ts";
import type { ModelCreateSchema, ModelSchema } from "./schemas.ts";

export type ModelResource = Static<typeof ModelSchema>;
export type ModelCreate = Static<typeof ModelCreateSchema>;
type ModelRow = Selectable<Database["mining_models"]>;
type ReplayModel = { readonly net: PetriNetJson; readonly dfg: Dfg };

export const MODEL_FIELDS: FieldSpecs = {
  name: { type: "string", sortable: true },
  algorithm: { type: "string", values: ALGORITHMS, sortable: true },
  source: { type: "string", values: ["job", "csv", "xes", "model"], sortable: true },
  created_at: { type: "timestamp", sortable: true },
};

/** The media type of each rendering. */
export const MODEL_MEDIA_TYPES: Record<Exclude<ModelFormat, "json">, string> = {
  dot: "text/vnd.graphviz; charset=utf-8",
  svg: "image/svg+xml; charset=utf-8",
  pnml: "application/xml; charset=utf-8",
  bpmn: "application/xml; charset=utf-8",
};

type Core = Pick<CoreContext, "store" | "clock" | "cursors">;

/**
 * `/api/mining/models`: process models, discovered from a job's event log or an uploaded CSV/XES
 * log, or stored as given. A model never changes once stored.
 */
export class MiningModels {
  readonly #core: Core;
  readonly #workers: MiningWorkers;
  readonly #limits: MiningLimits;
  readonly #replayModels = new Map<string, ReplayModel>();

  constructor(core: Core, workers: MiningWorkers, limits: MiningLimits) {
    this.#core = core;
    this.#workers = workers;
    this.#limits = limits;
  }

  async create(input: ModelCreate, options: { validateOnly?: boolean } = {}): Promise<ModelResource> {
    const given = (["job_id", "event_log", "model"] as const).filter((k) => input[k] !== undefined);
    if (given.length !== 1) {
      throw new MiningInputError(
        `send exactly one of job_id, event_log and model (got ${given.length === 0 ? "none" : given.join(", ")})`,
        given.length === 0 ? "" : `/${given[1]}`,
      );
    }
    const algorithm: Algorithm = input.algorithm ?? "inductive";
    if (input.noise !== undefined && algorithm !== "inductive")
      throw new MiningInputError("noise is for the inductive algorithm", "/noise");
    if (input.dependency_threshold !== undefined && algorithm !== "heuristics")
      throw new MiningInputError(
        "dependency_threshold is for the heuristics algorithm",
        "/dependency_threshold",
      );
    let json: ProcessModelJson;
    let source: ModelRow["source"];
    let name: string;
    let jobId: string | null = null;
    if (input.model !== undefined) {
      json = checkModel(input.model as Record<string, unknown>);
      source = "model";
      name = input.name ?? `${json.algorithm} model`;
    } else {
      let log: DiscoverTask["log"];
      if (input.job_id !== undefined) {
        const job = await this.#core.store.db
          .selectFrom("mining_jobs")
          .select(["id", "name", "state", "events", "lines"])
          .where("id", "=", input.job_id)
          .executeTakeFirst();
        if (!job) throw new MiningInputError(`there is no mining job ${input.job_id}`, "/job_id");
        // Counted before a row is read: a job too big to discover from costs nothing.
        if (Number(job.events) > this.#limits.maxEvents)
          throw new MiningLimitError(
            "maxEvents",
            this.#limits.maxEvents,
            `mining job ${job.id} has ${job.events} events`,
          );
        log = await this.#jobLog(job.id, job.state, Number(job.lines));
        source = "job";
        jobId = job.id;
        name = input.name ?? `${algorithm} model of ${job.name}`;
      } else {
        const upload = input.event_log as NonNullable<ModelCreate["event_log"]>;
        const bytes = Buffer.byteLength(upload.text);
        if (bytes > this.#limits.maxLogBytes)
          throw new MiningLimitError(
            "maxLogBytes",
            this.#limits.maxLogBytes,
            `event_log.text has ${bytes} bytes`,
          );
        log = uploadedLog(upload);
        source = upload.format;
        name = input.name ?? `${algorithm} model of an uploaded ${upload.format.toUpperCase()} log`;
      }
      // Reading the log and discovering run on a worker thread; validate_only reads and checks only.
      const result = await this.#workers.run("discover", {
        log,
        algorithm,
        noise: input.noise,
        dependencyThreshold: input.dependency_threshold,
        maxActivities: this.#limits.maxActivities,
        maxEvents: this.#limits.maxEvents,
        validateOnly: options.validateOnly === true,
      });
      if (result.model === undefined)
        return validated(name, algorithm, source, jobId, result, this.#core.clock.now());
      json = result.model;
    }
    const now = this.#core.clock.now().toISOString();
    const row: ModelRow = {
      id: newId("mdl", this.#core.clock.now()),
      name,
      algorithm: json.algorithm,
      source,
      job_id: jobId,
      model: JSON.stringify(json),
      created_at: now,
      updated_at: now,
    };
    if (options.validateOnly) return resource(row);
    await this.#core.store.db.insertInto("mining_models").values(row).execute();
    return this.get(row.id);
  }

  async list(query: PageQuery): Promise<Page<ModelResource>> {
    const page = await paginate(this.#core.store.db.selectFrom("mining_models").selectAll(), query, {
      collection: "mining_models",
      fields: MODEL_FIELDS,
      codec: this.#core.cursors,
    });
    const items = page.items.map(resource);
    return page.next_cursor ? { items, next_cursor: page.next_cursor } : { items };
  }

  async get(id: string): Promise<ModelResource> {
    return resource(await this.#row(id));
  }

  /** The model drawn or written as DOT, SVG or PNML, with its ETag (which follows `arcs` too). */
  async render(
    id: string,
    format: Exclude<ModelFormat, "json">,
    options: RenderOptions = {},
  ): Promise<{ text: string; etag: string }> {
    const row = await this.#row(id);
    const text = renderModel(toDiscovered(JSON.parse(row.model) as ProcessModelJson), format, options);
    return { text, etag: `${etagOf(row)}.${format}${options.arcs ? `.${options.arcs}` : ""}` };
  }

  /** The model's net and DFG as plain JSON, for a worker to replay cases on. */
  async replayModel(id: string): Promise<ReplayModel> {
    let model = this.#replayModels.get(id);
    if (!model) {
      const json = JSON.parse((await this.#row(id)).model) as ProcessModelJson;
      model = { net: json.net, dfg: json.dfg };
      this.#replayModels.set(id, model);
    }
    return model;
  }

  async #row(id: string): Promise<ModelRow> {
    const row = await this.#core.store.db
      .selectFrom("mining_models")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirst();
    if (!row) throw new MiningModelNotFoundError(id);
    return row;
  }

  /**
   * A job's events in line order, with its miner state, for a worker to make the event log of.
   * Only the committed ones (`seq` up to the job's `lines`): an upload writes a stretch's events
   * before it commits the stretch's counts.
   */
  async #jobLog(jobId: string, state: string, lines: number): Promise<JobLog> {
    const events = await this.#core.store.db
      .selectFrom("mining_events")
      .select(["seq", "case_id", "template_id", "at"])
      .where("job_id", "=", jobId)
      .where("seq", "<=", lines)
      .orderBy("seq")
      .execute();
    return {
      source: "job",
      state,
      events: events.map((e) => ({ ...e, seq: Number(e.seq), template_id: Number(e.template_id) })),
    };
  }
}

/** A CSV or XES log sent as text, for a worker to read. */
function uploadedLog(upload: NonNullable<ModelCreate["event_log"]>): UploadedLog {
  return {
    source: "upload",
    format: upload.format,
    text: upload.text,
    caseColumn: upload.case_column,
    activityColumn: upload.activity_column,
    timestampColumn: upload.timestamp_column,
  };
}

/**
 * What validate_only answers for a log to discover from: the model as it would be named and
 * sourced, with the log's counts and activities, and no net (nothing was discovered).
 */
function validated(
  name: string,
  algorithm: Algorithm,
  source: ModelRow["source"],
  jobId: string | null,
  result: { cases: number; events: number; activities: number; activityNames?: readonly string[] },
  now: Date,
): ModelResource {
  const at = now.toISOString();
  const log = { cases: result.cases, events: result.events, activities: result.activities };
  return {
    id: newId("mdl", now),
    name,
    algorithm,
    source: source as ModelResource["source"],
    ...(jobId === null ? {} : { job_id: jobId }),
    cases: result.cases,
    events: result.events,
    activities: [...(result.activityNames ?? [])],
    net: { places: 0, transitions: 0, silent: 0 },
    model: { format: "opsdojo-process-model/v1", algorithm, parameters: {}, log },
    created_at: at,
    updated_at: at,
    etag: createHash("sha256")
      .update(JSON.stringify({ name, algorithm, log }))
      .digest("base64url")
      .slice(0, 27),
  };
}

/** A given model document, checked enough that replay and every rendering work on it. */
function checkModel(value: Record<string, unknown>): ProcessModelJson {
  const fail = (message: string, at = ""): never => {
    throw new MiningInputError(`model: ${message}`, `/model${at}`);
  };
  if (value.format !== "opsdojo-process-model/v1")
    fail('format must be "opsdojo-process-model/v1" (what opsdojo mine discover --out writes)', "/format");
  if (!(ALGORITHMS as readonly unknown[]).includes(value.algorithm))
    fail(`algorithm must be one of ${ALGORITHMS.join(", ")}`, "/algorithm");
  const dfg = value.dfg as Record<string, unknown> | undefined;
  if (
    typeof dfg !== "object" ||
    dfg === null ||
    !Array.isArray(dfg.activities) ||
    !Array.isArray(dfg.edges) ||
    typeof dfg.start !== "object" ||
    typeof dfg.end !== "object"
  )
    fail("dfg must have activities, edges, start and end", "/dfg");
  checkArcDurations(value.arc_durations, value.net, fail);
  const json = value as unknown as ProcessModelJson;
  try {
    netFromJson(json.net as PetriNetJson, "model");
    const discovered = toDiscovered(json);
    renderModel(discovered, "pnml");
    renderModel(discovered, "svg");
  } catch (error) {
    if (error instanceof MiningInputError) throw error;
    fail(`it cannot be read: ${messageOf(error)}`, "/net");
  }
  const log = (json.log ?? {}) as Partial<ProcessModelJson["log"]>;
  return {
    ...json,
    parameters: json.parameters ?? {},
    log: { cases: log.cases ?? 0, events: log.events ?? 0, activities: log.activities ?? 0 },
  };
}

/** `arc_durations`, when given: one entry per arc of the net, each null or the four numbers. */
function checkArcDurations(
  value: unknown,
  net: unknown,
  fail: (message: string, at?: string) => never,
): void {
  if (value === undefined) return;
  const arcs = (net as { arcs?: unknown } | null)?.arcs;
  if (!Array.isArray(value) || !Array.isArray(arcs) || value.length !== arcs.length)
    fail("arc_durations must be an array with one entry (or null) per arc of net.arcs", "/arc_durations");
  (value as unknown[]).forEach((d, i) => {
    if (d === null) return;
    const r = d as Record<string, unknown>;
    const ok =
      typeof d === "object" &&
      Number.isInteger(r.count) &&
      (r.count as number) > 0 &&
      ["medianMs", "p90Ms", "meanMs"].every((k) => typeof r[k] === "number" && Number.isFinite(r[k]));
    if (!ok)
      fail("an arc duration is null or {count, medianMs, p90Ms, meanMs} (numbers)", `/arc_durations/${i}`);
  });
}

function toDiscovered(json: ProcessModelJson): DiscoveredModel {
  return {
    algorithm: json.algorithm,
    dfg: json.dfg,
    net: netFromJson(json.net, "model"),
    parameters: json.parameters ?? {},
    ...(json.tree ? { tree: json.tree.root } : {}),
    ...(json.heuristics ? { heuristics: json.heuristics } : {}),
    ...(json.arc_durations ? { arcDurations: json.arc_durations } : {}),
  };
}

function etagOf(row: ModelRow): string {
  return createHash("sha256").update(`${row.id}\n${row.name}\n${row.model}`).digest("base64url").slice(0, 27);
}

function resource(row: ModelRow): ModelResource {
  const json = JSON.parse(row.model) as ProcessModelJson;
  const labels = new Set<string>();
  let silent = 0;
  for (const t of json.net.transitions) {
    if (t.label === null) silent++;
    else labels.add(t.label);
  }
  return {
    id: row.id,
    name: row.name,
    algorithm: row.algorithm as Algorithm,
    source: row.source as ModelResource["source"],
    ...(row.job_id === null ? {} : { job_id: row.job_id }),
    cases: json.log?.cases ?? 0,
    events: json.log?.events ?? 0,
    activities: [...labels].sort(),
    net: { places: json.net.places.length, transitions: json.net.transitions.length, silent },
    ...(json.tree ? { tree: json.tree.text } : {}),
    model: json as unknown as Record<string, unknown>,
    created_at: row.created_at,
    updated_at: row.updated_at,
    etag: etagOf(row),
  };
}
