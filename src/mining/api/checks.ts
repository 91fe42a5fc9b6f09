import type { Selectable } from "kysely";
import type { Static } from "typebox";
import { type CoreContext, type FieldSpecs, type Page, type PageQuery, paginate } from "../../api/index.ts";
import type { Database } from "../../store/index.ts";
import { parseState } from "../templates/index.ts";
import {
  activityNames,
  type FoundDeviation,
  type MiningWorkers,
  type ReplayTask,
  type WorkerLease,
} from "../workers/index.ts";
import type { DeviationBus } from "./deviation-bus.ts";
import { MiningJobNotFoundError } from "./errors.ts";
import type { JobLocks } from "./job-locks.ts";
import type { MiningModels } from "./models.ts";
import { DEVIATION_KINDS, type DeviationSchema } from "./schemas.ts";

export type DeviationResource = Static<typeof DeviationSchema>;
type DeviationRow = Selectable<Database["mining_deviations"]>;

export const DEVIATION_FIELDS: FieldSpecs = {
  kind: { type: "string", values: DEVIATION_KINDS, sortable: true },
  case_id: { type: "string", sortable: true },
  line: { type: "number", sortable: true },
};

type Core = Pick<CoreContext, "store" | "clock" | "cursors">;

/**
 * Deviation checks: a job's cases against a model. The first request for a (job, model) pair
 * attaches a check and replays every case so far; from then on each committed upload advances
 * every check of its job over the cases it touched, so a deviation is stored (numbered, in the
 * order of the lines) as soon as the line that shows it has been mined — the live stream reads
 * the same numbered list. The check itself is the online `Watcher` of src/mining/watch (kinds
 * unexpected, missing, wrong-order), fed the touched cases' events on a mining worker; stalls
 * (which need a clock running between uploads) are not reported here.
 */
export class DeviationChecks {
  readonly #core: Core;
  readonly #locks: JobLocks;
  readonly #bus: DeviationBus;
  readonly #workers: MiningWorkers;
  #models: MiningModels | undefined;

  constructor(core: Core, locks: JobLocks, bus: DeviationBus, workers: MiningWorkers) {
    this.#core = core;
    this.#locks = locks;
    this.#bus = bus;
    this.#workers = workers;
  }

  /** Set once both exist (models and checks refer to each other through the routes only). */
  useModels(models: MiningModels): void {
    this.#models = models;
  }

  /** Attach a check of the job against the model (catching up on every case), once. */
  async ensure(jobId: string, modelId: string): Promise<void> {
    const db = this.#core.store.db;
    const job = await db.selectFrom("mining_jobs").select("id").where("id", "=", jobId).executeTakeFirst();
    if (!job) throw new MiningJobNotFoundError(jobId);
    await this.#requireModels().get(modelId);
    const existing = await db
      .selectFrom("mining_checks")
      .select("job_id")
      .where("job_id", "=", jobId)
      .where("model_id", "=", modelId)
      .executeTakeFirst();
    if (existing) return;
    await this.#locks.run(jobId, async () => {
      const now = this.#core.clock.now().toISOString();
      await db
        .insertInto("mining_checks")
        .values({
          job_id: jobId,
          model_id: modelId,
          checked_seq: 0,
          next_seq: 1,
          created_at: now,
          updated_at: now,
        })
        .onConflict((oc) => oc.columns(["job_id", "model_id"]).doNothing())
        .execute();
      await this.#advanceOne(jobId, modelId, undefined, (task) => this.#workers.run("replay", task));
    });
  }

  /**
   * Check the cases an upload touched against every model attached to the job (caller holds the
   * lock). The upload's own worker replays them: asking the pool for another could wait forever
   * for the worker the upload holds.
   */
  async advance(jobId: string, cases: ReadonlySet<string>, lease: WorkerLease): Promise<void> {
    const checks = await this.#core.store.db
      .selectFrom("mining_checks")
      .select("model_id")
      .where("job_id", "=", jobId)
      .execute();
    const replay = (task: ReplayTask) => lease.call("replay", task);
    for (const c of checks) await this.#advanceOne(jobId, c.model_id, cases, replay);
  }

  async list(jobId: string, modelId: string, query: PageQuery): Promise<Page<DeviationResource>> {
    await this.ensure(jobId, modelId);
    const select = this.#core.store.db
      .selectFrom("mining_deviations")
      .selectAll()
      .where("job_id", "=", jobId)
      .where("model_id", "=", modelId);
    const page = await paginate(select, query, {
      collection: `mining_deviations:${jobId}:${modelId}`,
      fields: DEVIATION_FIELDS,
      codec: this.#core.cursors,
      idColumn: "seq",
    });
    const items = page.items.map(deviationResource);
    return page.next_cursor ? { items, next_cursor: page.next_cursor } : { items };
  }

  /** Deviations after `afterSeq`, in order (for SSE). */
  async after(jobId: string, modelId: string, afterSeq: number, limit = 500): Promise<DeviationResource[]> {
    const rows = await this.#core.store.db
      .selectFrom("mining_deviations")
      .selectAll()
      .where("job_id", "=", jobId)
      .where("model_id", "=", modelId)
      .where("seq", ">", afterSeq)
      .orderBy("seq")
      .limit(limit)
      .execute();
    return rows.map(deviationResource);
  }

  subscribe(jobId: string, listener: () => void): () => void {
    return this.#bus.subscribe(jobId, listener);
  }

  #requireModels(): MiningModels {
    if (!this.#models) throw new Error("DeviationChecks used before useModels()");
    return this.#models;
  }

  async #advanceOne(
    jobId: string,
    modelId: string,
    touched: ReadonlySet<string> | undefined,
    replay: (task: ReplayTask) => Promise<FoundDeviation[]>,
  ): Promise<void> {
    const db = this.#core.store.db;
    const check = await db
      .selectFrom("mining_checks")
      .selectAll()
      .where("job_id", "=", jobId)
      .where("model_id", "=", modelId)
      .executeTakeFirst();
    if (!check) return;
    const job = await db
      .selectFrom("mining_jobs")
      .select(["state", "lines"])
      .where("id", "=", jobId)
      .executeTakeFirstOrThrow();
    const nameOf = activityNames(parseState(JSON.parse(job.state), "the job's state"));
    const model = await this.#requireModels().replayModel(modelId);
    const checked = Number(check.checked_seq);
    // The committed events end at the job's last committed line (an event's seq is its line):
    // an upload writes a stretch's events before it commits the stretch's counts.
    const upTo = Number(job.lines);
    if (upTo <= checked) return;
    let cases: string[];
    if (touched !== undefined) cases = [...touched];
    else {
      const rows = await db
        .selectFrom("mining_events")
        .select("case_id")
        .distinct()
        .where("job_id", "=", jobId)
        .where("seq", ">", checked)
        .where("seq", "<=", upTo)
        .execute();
      cases = rows.map((r) => r.case_id);
    }
    const found: Omit<DeviationRow, "seq">[] = [];
    const now = this.#core.clock.now().toISOString();
    for (let i = 0; i < cases.length; i += 500) {
      const events = await db
        .selectFrom("mining_events")
        .select(["case_id", "seq", "template_id", "at"])
        .where("job_id", "=", jobId)
        .where("case_id", "in", cases.slice(i, i + 500))
        .where("seq", "<=", upTo)
        .orderBy("case_id")
        .orderBy("seq")
        .execute();
      const byCase = new Map<string, ReplayTask["cases"][number]["events"][number][]>();
      for (const e of events) {
        const event = { line: Number(e.seq), activity: nameOf(Number(e.template_id)), at: e.at };
        const list = byCase.get(e.case_id);
        if (list) list.push(event);
        else byCase.set(e.case_id, [event]);
      }
      const batch = [...byCase].map(([caseId, list]) => ({ caseId, events: list }));
      for (const d of await replay({ model, cases: batch, checked }))
        found.push({ ...d, job_id: jobId, model_id: modelId, detected_at: now });
    }
    found.sort((a, b) => a.line - b.line);
    let next = Number(check.next_seq);
    await db.transaction().execute(async (tx) => {
      const rows = found.map((d) => ({ ...d, seq: next++ }));
      for (let i = 0; i < rows.length; i += 200) {
        await tx
          .insertInto("mining_deviations")
          .values(rows.slice(i, i + 200))
          .execute();
      }
      await tx
        .updateTable("mining_checks")
        .set({ checked_seq: upTo, next_seq: next, updated_at: now })
        .where("job_id", "=", jobId)
        .where("model_id", "=", modelId)
        .where("checked_seq", "=", checked)
        .execute();
    });
    if (found.length > 0) this.#bus.notify(jobId);
  }
}

function deviationResource(row: DeviationRow): DeviationResource {
  const seq = Number(row.seq);
  return {
    id: String(seq),
    seq,
    job_id: row.job_id,
    model_id: row.model_id,
    case_id: row.case_id,
    activity: row.activity,
    kind: row.kind as DeviationResource["kind"],
    expected: JSON.parse(row.expected) as string[],
    position: Number(row.position),
    line: Number(row.line),
    ...(row.at === null ? {} : { at: row.at }),
    detected_at: row.detected_at,
  };
}
