import { createHash } from "node:crypto";
import { setImmediate } from "node:timers/promises";
import type { Selectable } from "kysely";
import type { Static } from "typebox";
import {
  assertIfMatch,
  type CoreContext,
  type FieldSpecs,
  type Page,
  type PageQuery,
  paginate,
} from "../../api/index.ts";
import { messageOf, newId } from "../../core/index.ts";
import type { Database } from "../../store/index.ts";
import {
  compileLogFormat,
  type LogFormat,
  type MinerState,
  parseState,
  presetFormat,
} from "../templates/index.ts";
import type { LineStretch, MiningLimits, MiningWorkers } from "../workers/index.ts";
import type { DeviationChecks } from "./checks.ts";
import { MiningInputError, MiningJobBusyError, MiningJobNotFoundError } from "./errors.ts";
import type { JobLocks } from "./job-locks.ts";
import type { JobCreateSchema, JobSchema, TemplateSchema } from "./schemas.ts";

export type JobResource = Static<typeof JobSchema>;
export type JobCreate = Static<typeof JobCreateSchema>;
export type TemplateResource = Static<typeof TemplateSchema>;
type JobRow = Selectable<Database["mining_jobs"]>;
type TemplateRow = Selectable<Database["mining_templates"]>;

export const JOB_FIELDS: FieldSpecs = {
  name: { type: "string", sortable: true },
  created_at: { type: "timestamp", sortable: true },
  updated_at: { type: "timestamp", sortable: true },
};

export const TEMPLATE_FIELDS: FieldSpecs = {
  count: { type: "number", sortable: true },
  template: { type: "string", sortable: true },
};

/** Lines mined before their events, state and templates are committed (and checked). */
const COMMIT_EVERY_LINES = 5_000;
/** Events written by one statement: one bounded slice of synchronous work on the event loop. */
const EVENT_SLICE = 100;
const EMPTY_STATE: MinerState = { version: 1, nextId: 1, templates: [], aliases: {} };

type Core = Pick<CoreContext, "store" | "clock" | "cursors">;

/**
 * `/api/mining/jobs`: a job is a stream of log lines mined into templates as they arrive, one
 * upload after another; its lines with a case id are its event log. The miner's state is stored
 * with the job, so every upload (on any node) continues with the same template ids.
 */
export class MiningJobs {
  readonly #core: Core;
  readonly #locks: JobLocks;
  readonly #checks: DeviationChecks;
  readonly #workers: MiningWorkers;
  readonly #limits: MiningLimits;

  constructor(
    core: Core,
    locks: JobLocks,
    checks: DeviationChecks,
    workers: MiningWorkers,
    limits: MiningLimits,
  ) {
    this.#core = core;
    this.#locks = locks;
    this.#checks = checks;
    this.#workers = workers;
    this.#limits = limits;
  }

  async create(input: JobCreate, options: { validateOnly?: boolean } = {}): Promise<JobResource> {
    if (input.log_format !== undefined && input.preset !== undefined)
      throw new MiningInputError("give log_format or preset, not both", "/preset");
    if (input.case_field !== undefined && input.case_pattern !== undefined)
      throw new MiningInputError("give case_field or case_pattern, not both", "/case_pattern");
    let format: LogFormat | undefined;
    try {
      if (input.log_format !== undefined) format = compileLogFormat(input.log_format);
    } catch (error) {
      throw new MiningInputError(messageOf(error), "/log_format");
    }
    try {
      if (input.preset !== undefined) format = presetFormat(input.preset);
    } catch (error) {
      throw new MiningInputError(messageOf(error), "/preset");
    }
    if (input.case_field !== undefined && format !== undefined && format.source !== "json") {
      if (!format.fields.includes(input.case_field))
        throw new MiningInputError(
          `the log format has no field ${input.case_field}; its fields: ${format.fields.join(", ")}`,
          "/case_field",
        );
    }
    if (input.case_pattern !== undefined) casePattern(input.case_pattern);
    const now = this.#core.clock.now().toISOString();
    const row: JobRow = {
      id: newId("mjob", this.#core.clock.now()),
      name: input.name,
      log_format: input.log_format ?? null,
      preset: input.preset ?? null,
      format_source: format?.source ?? null,
      format_origin: format === undefined ? null : input.preset !== undefined ? "preset" : "given",
      case_field: input.case_field ?? null,
      case_pattern: input.case_pattern ?? null,
      state: JSON.stringify(EMPTY_STATE),
      lines: 0,
      messages: 0,
      unmatched: 0,
      events: 0,
      without_case: 0,
      cases: 0,
      templates: 0,
      created_at: now,
      updated_at: now,
      revision: 1,
    };
    if (options.validateOnly) return resource(row);
    await this.#core.store.db.insertInto("mining_jobs").values(row).execute();
    return this.get(row.id);
  }

  async list(query: PageQuery): Promise<Page<JobResource>> {
    const page = await paginate(this.#core.store.db.selectFrom("mining_jobs").selectAll(), query, {
      collection: "mining_jobs",
      fields: JOB_FIELDS,
      codec: this.#core.cursors,
    });
    const items = page.items.map(resource);
    return page.next_cursor ? { items, next_cursor: page.next_cursor } : { items };
  }

  async get(id: string): Promise<JobResource> {
    return resource(await this.row(id));
  }

  async row(id: string): Promise<JobRow> {
    const row = await this.#core.store.db
      .selectFrom("mining_jobs")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirst();
    if (!row) throw new MiningJobNotFoundError(id);
    return row;
  }

  /** The miner state of a job (templates, ids, aliases). */
  async state(id: string): Promise<MinerState> {
    return parseState(JSON.parse((await this.row(id)).state), "the job's state");
  }

  /**
   * Mine lines into the job, batch by batch as they arrive, on a mining worker held for the whole
   * upload; every 5 000 lines the events, the miner's state, the templates and the counts are
   * committed (the events in small statements first, the rest in one transaction that makes them
   * the job's), and the job's deviation checks advance. Memory holds one uncommitted
   * stretch, whatever the size of the upload; the next batch is read only when the worker has
   * mined the last, so a fast client waits for the miner rather than filling memory.
   */
  async upload(
    id: string,
    batches: AsyncIterable<readonly string[]>,
    options: { validateOnly?: boolean; ifMatch?: string | undefined } = {},
  ): Promise<JobResource> {
    await this.row(id);
    return this.#locks.run(id, async () => {
      let row = await this.row(id);
      assertIfMatch(options.ifMatch, etagOf(row));
      if (!options.validateOnly) await this.#dropUncommitted(id);
      const lease = await this.#workers.lease();
      try {
        await lease.call("mine.start", {
          state: parseState(JSON.parse(row.state), "the job's state"),
          formatSource: row.format_source,
          formatOrigin: row.format_origin,
          caseField: row.case_field,
          casePattern: row.case_pattern,
          counts: {
            lines: Number(row.lines),
            messages: Number(row.messages),
            unmatched: Number(row.unmatched),
            events: Number(row.events),
            without_case: Number(row.without_case),
          },
          examples: await this.#examples(id),
          maxTemplates: this.#limits.maxTemplates,
        });
        const newCases = new Set<string>();
        let last: LineStretch | undefined;
        const commit = async (final: boolean) => {
          const stretch = await lease.call("mine.take", { final });
          last = stretch;
          if (options.validateOnly) {
            for (const c of stretch.cases) newCases.add(c);
            return;
          }
          row = await this.#commit(row, stretch);
          if (stretch.events.length > 0) await this.#checks.advance(id, new Set(stretch.cases), lease);
        };
        for await (const batch of batches) {
          const { pending } = await lease.call("mine.add", { lines: batch });
          if (pending >= COMMIT_EVERY_LINES) await commit(false);
        }
        await commit(true);
        if (!options.validateOnly || last === undefined) return resource(row);
        const now = this.#core.clock.now().toISOString();
        return resource({
          ...row,
          ...last.counts,
          cases: row.cases + (await this.#unseen(id, newCases, Number(row.lines))),
          templates: last.templates,
          format_source: last.formatSource,
          format_origin: last.formatOrigin,
          updated_at: now,
          revision: row.revision + 1,
        });
      } finally {
        lease.release();
      }
    });
  }

  async templates(id: string, query: PageQuery): Promise<Page<TemplateResource>> {
    await this.row(id);
    const select = this.#core.store.db.selectFrom("mining_templates").selectAll().where("job_id", "=", id);
    const page = await paginate(select, query, {
      collection: `mining_templates:${id}`,
      fields: TEMPLATE_FIELDS,
      codec: this.#core.cursors,
      idColumn: "template_id",
    });
    const items = page.items.map(templateResource);
    return page.next_cursor ? { items, next_cursor: page.next_cursor } : { items };
  }

  async #examples(id: string): Promise<[number, string[]][]> {
    const rows = await this.#core.store.db
      .selectFrom("mining_templates")
      .select(["template_id", "examples"])
      .where("job_id", "=", id)
      .execute();
    return rows.map((r) => [Number(r.template_id), JSON.parse(r.examples) as string[]]);
  }

  /**
   * How many of `cases` the job has no committed event of yet: lookups by the events' case index,
   * 500 cases a query, each query a slice of its own on the event loop.
   */
  async #unseen(id: string, cases: Set<string>, lines: number): Promise<number> {
    const all = [...cases];
    let known = 0;
    for (let i = 0; i < all.length; i += 500) {
      if (i > 0) await setImmediate();
      const chunk = all.slice(i, i + 500);
      const found = await this.#core.store.db
        .selectFrom("mining_events")
        .select("case_id")
        .distinct()
        .where("job_id", "=", id)
        .where("case_id", "in", chunk)
        .where("seq", "<=", lines)
        .execute();
      known += found.length;
    }
    return all.length - known;
  }

  /**
   * Remove the events past the job's last committed line: a stretch whose events were written but
   * whose commit never came (a crash, an error, another node's cleanup). Nobody reads them (every
   * reader stops at the job's `lines`); they would only collide with the next stretch's.
   */
  async #dropUncommitted(id: string): Promise<void> {
    const row = await this.row(id);
    await this.#core.store.db
      .deleteFrom("mining_events")
      .where("job_id", "=", id)
      .where("seq", ">", Number(row.lines))
      .execute();
  }

  async #commit(row: JobRow, stretch: LineStretch): Promise<JobRow> {
    const now = this.#core.clock.now().toISOString();
    const db = this.#core.store.db;
    const created = new Map(
      (
        await db
          .selectFrom("mining_templates")
          .select(["template_id", "created_at"])
          .where("job_id", "=", row.id)
          .execute()
      ).map((r) => [r.template_id, r.created_at]),
    );
    // Cases new to the job, looked up by index before the write: counting the distinct cases of
    // the whole job on every commit grew with the job and held the event loop (better-sqlite3 is
    // synchronous) for longer and longer in a big upload. The revision check below keeps the sum
    // right when another node commits in between.
    const newCases = await this.#unseen(row.id, new Set(stretch.cases), Number(row.lines));
    // The events go in first, EVENT_SLICE rows a statement, each statement its own (atomic)
    // transaction and the event loop free between them: one transaction for the whole stretch
    // held the event loop (better-sqlite3 is synchronous) and the store's one connection (every
    // other request's queries, /health's too) for hundreds of milliseconds on a loaded machine.
    // They are not the job's yet: every reader stops at the job's `lines`, which the small
    // transaction below moves past them together with the counts, the state and the templates.
    // Should that never happen, the next upload drops them (#dropUncommitted).
    const events = stretch.events;
    try {
      for (let i = 0; i < events.length; i += EVENT_SLICE) {
        await setImmediate();
        await db
          .insertInto("mining_events")
          .values(events.slice(i, i + EVENT_SLICE).map((e) => ({ job_id: row.id, ...e })))
          .execute();
      }
      await setImmediate();
      return await this.#commitCounts(row, stretch, events.length, newCases, created, now);
    } catch (error) {
      // Past the job's lines as it is now (another node may have committed meanwhile).
      await this.#dropUncommitted(row.id).catch(() => {});
      throw error;
    }
  }

  /** The stretch's counts, state and templates, in one transaction after its events. */
  async #commitCounts(
    row: JobRow,
    stretch: LineStretch,
    eventCount: number,
    newCases: number,
    created: Map<number, string>,
    now: string,
  ): Promise<JobRow> {
    const { state, counts } = stretch;
    const examples = new Map(stretch.examples);
    const format = stretch.formatSource === null ? undefined : { source: stretch.formatSource };
    const origin = stretch.formatOrigin;
    return this.#core.store.db.transaction().execute(async (tx) => {
      const next = {
        ...counts,
        cases: Number(row.cases) + newCases,
        templates: state.templates.length,
        state: JSON.stringify(state),
        format_source: format?.source ?? null,
        format_origin: origin,
        updated_at: now,
        revision: row.revision + 1,
      };
      // All of this stretch's events are still there (another node's #dropUncommitted has not
      // removed some in between): otherwise the job would count events it does not have.
      const written = await tx
        .selectFrom("mining_events")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("job_id", "=", row.id)
        .where("seq", ">", Number(row.lines))
        .where("seq", "<=", counts.lines)
        .executeTakeFirstOrThrow();
      if (Number(written.n) !== eventCount) throw new MiningJobBusyError(row.id);
      const updated = await tx
        .updateTable("mining_jobs")
        .set(next)
        .where("id", "=", row.id)
        .where("revision", "=", row.revision)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) throw new MiningJobBusyError(row.id);
      await tx.deleteFrom("mining_templates").where("job_id", "=", row.id).execute();
      const templates = state.templates.map((t) => ({
        job_id: row.id,
        template_id: t.id,
        template: t.tokens.join(" "),
        count: t.count,
        examples: JSON.stringify(examples.get(t.id) ?? []),
        created_at: created.get(t.id) ?? now,
        updated_at: now,
      }));
      for (let i = 0; i < templates.length; i += 200) {
        await tx
          .insertInto("mining_templates")
          .values(templates.slice(i, i + 200))
          .execute();
      }
      return { ...row, ...next };
    });
  }
}

function casePattern(source: string): RegExp {
  try {
    return new RegExp(source);
  } catch (error) {
    throw new MiningInputError(
      `case_pattern is not a valid regular expression: ${messageOf(error)}`,
      "/case_pattern",
    );
  }
}

function etagOf(row: Pick<JobRow, "id" | "revision">): string {
  return `${row.id}.${row.revision}`;
}

function resource(row: JobRow): JobResource {
  return {
    id: row.id,
    name: row.name,
    ...(row.log_format === null ? {} : { log_format: row.log_format }),
    ...(row.preset === null ? {} : { preset: row.preset }),
    ...(row.format_source === null
      ? {}
      : {
          format: {
            source: row.format_source,
            origin: (row.format_origin ?? "given") as "given" | "preset" | "detected",
          },
        }),
    ...(row.case_field === null ? {} : { case_field: row.case_field }),
    ...(row.case_pattern === null ? {} : { case_pattern: row.case_pattern }),
    lines: Number(row.lines),
    messages: Number(row.messages),
    unmatched: Number(row.unmatched),
    events: Number(row.events),
    without_case: Number(row.without_case),
    cases: Number(row.cases),
    templates: Number(row.templates),
    created_at: row.created_at,
    updated_at: row.updated_at,
    etag: etagOf(row),
  };
}

function templateResource(row: TemplateRow): TemplateResource {
  const body = {
    job_id: row.job_id,
    template_id: Number(row.template_id),
    template: row.template,
    count: Number(row.count),
    examples: JSON.parse(row.examples) as string[],
  };
  return {
    id: `tpl_${body.template_id}`,
    ...body,
    created_at: row.created_at,
    updated_at: row.updated_at,
    etag: createHash("sha256").update(JSON.stringify(body)).digest("base64url").slice(0, 27),
  };
}
