import type { Static } from "typebox";
import { type CoreContext, type FieldSpecs, type Page, type PageQuery, paginate } from "../../api/index.ts";
import { newId } from "../../core/index.ts";
import { type ModelFormat, renderModel } from "../../mining/index.ts";
import type { OperationsTable } from "../../store/index.ts";
import { v1UndoName } from "../actions/index.ts";
import { type AllowList, actionsUsed } from "../allow-list/index.ts";
import { registerOperation } from "../catalogue.ts";
import { irreversibleSteps } from "../engine/index.ts";
import { DigestCache, parseOperationCached, sourceDigest } from "../loader/index.ts";
import { type Operation, targetsOf } from "../model/index.ts";
import { loadRunHistory, MIN_HISTORY, mineRunModel } from "../run-model/index.ts";

/** The most cases the run-model route mines: 15-60 ms of the event loop for 2 000 six-step cases, not seconds. */
const RUN_MODEL_MAX_CASES = 2000;

import { OperationNotFoundError } from "./errors.ts";
import type { OperationSchema } from "./schemas.ts";

export type OperationResource = Static<typeof OperationSchema>;

export const OPERATION_FIELDS: FieldSpecs = {
  name: { type: "string", sortable: true },
  version: { type: "number", sortable: true },
  created_at: { type: "timestamp", sortable: true },
};

type Core = Pick<CoreContext, "store" | "clock" | "cursors">;

export interface OperationsApiOptions {
  /** The actions this server executes (`serve --allow-actions`); none: every action. */
  readonly allowActions?: AllowList | undefined;
  /**
   * The steps of an operation nothing can undo (the planner's classification; default
   * `irreversibleSteps`). Run when a text is registered, and cached by its digest.
   */
  readonly classify?: ((op: Operation) => readonly string[]) | undefined;
}

/** A stored version with its parsed operation: what starting a run needs, read once. */
export interface ResolvedOperation {
  readonly row: OperationsTable;
  readonly operation: Operation;
}

/** `/api/operations`: registered operation files, each name with its numbered versions. */
export class OperationsApi {
  readonly #core: Core;
  readonly #allow: AllowList | undefined;
  readonly #classify: (op: Operation) => readonly string[];
  /**
   * The irreversible steps of each text, by digest: the planner runs at registration, not in
   * `POST /api/runs`. In memory, not in the store: the answer depends on this program's action
   * models as much as on the text, so a stored one could be stale after an upgrade. A version
   * registered before this process started (or on another node) is classified on its first
   * run here, once.
   */
  readonly #oneWay = new DigestCache<readonly string[]>();

  constructor(core: Core, options: OperationsApiOptions = {}) {
    this.#core = core;
    this.#allow = options.allowActions;
    this.#classify = options.classify ?? ((op) => irreversibleSteps(op));
  }

  /**
   * Refuse (ActionNotAllowedError) an operation that uses an action outside the allow-list: at
   * registration, and again at each start, since the list may have changed since.
   */
  checkAllowed(op: Operation): void {
    this.#allow?.check(actionsUsed(op));
  }

  /** Register text: 201 for a new version, or the existing version when the text is the same. */
  async register(
    input: { source: string; file?: string | undefined },
    options: { validateOnly?: boolean } = {},
  ): Promise<{ operation: OperationResource; created: boolean }> {
    const file = input.file ?? "operation.yaml";
    const op = parseOperationCached(input.source, file);
    this.checkAllowed(op);
    if (options.validateOnly) {
      const now = this.#core.clock.now().toISOString();
      const row = {
        id: newId("op", this.#core.clock.now()),
        name: op.name,
        version: 0,
        source: input.source,
        digest: sourceDigest(input.source),
        created_at: now,
      };
      return { operation: this.#resource(row, op), created: false };
    }
    const before = await this.#core.store.db
      .selectFrom("operations")
      .select("id")
      .where("digest", "=", sourceDigest(input.source))
      .executeTakeFirst();
    const registered = await registerOperation(this.#core.store, this.#core.clock, input.source, file);
    const row = await this.#row(registered.id);
    this.irreversibleSteps(row, op);
    return { operation: this.#resource(row, op), created: before?.id !== registered.id };
  }

  /** The latest version of every operation. */
  async list(query: PageQuery): Promise<Page<OperationResource>> {
    const db = this.#core.store.db;
    const latest = db
      .selectFrom("operations")
      .selectAll()
      .where(({ eb, selectFrom }) =>
        eb(
          "version",
          "=",
          selectFrom("operations as o2")
            .select(({ fn }) => fn.max("o2.version").as("v"))
            .whereRef("o2.name", "=", "operations.name"),
        ),
      );
    return this.#page(
      await paginate(latest, query, {
        collection: "operations",
        fields: OPERATION_FIELDS,
        codec: this.#core.cursors,
      }),
    );
  }

  /** Every version of the operation named by `ref` (an id of any of its versions, or its name). */
  async versions(ref: string, query: PageQuery): Promise<Page<OperationResource>> {
    const name = (await this.#row(ref)).name;
    const all = this.#core.store.db.selectFrom("operations").selectAll().where("name", "=", name);
    return this.#page(
      await paginate(all, query, {
        collection: `operations:${name}`,
        fields: OPERATION_FIELDS,
        codec: this.#core.cursors,
      }),
    );
  }

  /**
   * The process model of an operation's completed runs (at most RUN_MODEL_MAX_CASES cases) (by the id of any version, or its name),
   * rendered as `mine discover` renders models. Small by construction (HISTORY_LIMIT runs), so
   * it is mined here rather than in a mining worker.
   */
  async runModel(ref: string, format: ModelFormat = "json") {
    const name = (await this.#row(ref)).name;
    const all = await loadRunHistory(this.#core.store, name);
    // Mined on the event loop, so bounded: runs with many targets keep their latest cases.
    const history = { ...all, traces: all.traces.slice(-RUN_MODEL_MAX_CASES) };
    const { model } = mineRunModel(history);
    return {
      operation: name,
      runs: history.runs,
      cases: history.traces.length,
      live_check: history.runs >= MIN_HISTORY,
      min_history: MIN_HISTORY,
      format,
      model: renderModel(model, format),
    };
  }

  /** One version by id, or the latest version of a name. */
  async get(ref: string): Promise<OperationResource> {
    const row = await this.#row(ref);
    return this.#resource(row, this.parsed(row));
  }

  /** One version (by id, or the latest of a name) and its operation, read once. */
  async resolve(ref: string): Promise<ResolvedOperation> {
    const row = await this.#row(ref);
    return { row, operation: this.parsed(row) };
  }

  /** The parsed operation of a stored version (the loader's cache: each text is parsed once). */
  parsed(row: Pick<OperationsTable, "name" | "version" | "source" | "digest">): Operation {
    return parseOperationCached(row.source, `${row.name} v${row.version}`, row.digest);
  }

  /** The steps of a stored version that nothing can undo: classified once per text. */
  irreversibleSteps(row: Pick<OperationsTable, "digest">, op: Operation): readonly string[] {
    return this.#oneWay.getOrMake(row.digest, () => this.#classify(op));
  }

  async #row(ref: string): Promise<OperationsTable> {
    const db = this.#core.store.db;
    const row = ref.startsWith("op_")
      ? await db.selectFrom("operations").selectAll().where("id", "=", ref).executeTakeFirst()
      : await db
          .selectFrom("operations")
          .selectAll()
          .where("name", "=", ref)
          .orderBy("version", "desc")
          .limit(1)
          .executeTakeFirst();
    if (!row) throw new OperationNotFoundError(ref);
    return row;
  }

  #page(page: Page<OperationsTable>): Page<OperationResource> {
    const items = page.items.map((row) => this.#resource(row, this.parsed(row)));
    return page.next_cursor ? { items, next_cursor: page.next_cursor } : { items };
  }

  #resource(row: OperationsTable, op: Operation): OperationResource {
    return {
      id: row.id,
      name: row.name,
      version: row.version,
      ...(op.description ? { description: op.description } : {}),
      digest: row.digest,
      targets: targetsOf(op).map((t) => t.name),
      steps: op.steps.map((s) => ({ name: s.name, uses: s.uses, undo: v1UndoName(s) })),
      source: row.source,
      created_at: row.created_at,
      updated_at: row.created_at,
      etag: row.digest.slice(0, 32),
    };
  }
}
