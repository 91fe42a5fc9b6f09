import { createHash } from "node:crypto";
import type { Static } from "typebox";
import { type CoreContext, type FieldSpecs, type Page, type PageQuery, paginate } from "../../api/index.ts";
import { newId } from "../../core/index.ts";
import type { OperationsTable } from "../../store/index.ts";
import { v1UndoName } from "../actions/index.ts";
import { type AllowList, actionsUsed } from "../allow-list/index.ts";
import { registerOperation } from "../catalogue.ts";
import { parseOperation } from "../loader/index.ts";
import { type Operation, targetsOf } from "../model/index.ts";
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
}

/** `/api/operations`: registered operation files, each name with its numbered versions. */
export class OperationsApi {
  readonly #core: Core;
  /** Parsed operations by id: a version never changes, so parsing it once is enough. */
  readonly #parsed = new Map<string, Operation>();
  readonly #allow: AllowList | undefined;

  constructor(core: Core, options: OperationsApiOptions = {}) {
    this.#core = core;
    this.#allow = options.allowActions;
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
    const op = parseOperation(input.source, file);
    this.checkAllowed(op);
    if (options.validateOnly) {
      const now = this.#core.clock.now().toISOString();
      const row = {
        id: newId("op", this.#core.clock.now()),
        name: op.name,
        version: 0,
        source: input.source,
        digest: digest(input.source),
        created_at: now,
      };
      return { operation: this.#resource(row, op), created: false };
    }
    const before = await this.#core.store.db
      .selectFrom("operations")
      .select("id")
      .where("digest", "=", digest(input.source))
      .executeTakeFirst();
    const registered = await registerOperation(this.#core.store, this.#core.clock, input.source, file);
    return { operation: await this.get(registered.id), created: before?.id !== registered.id };
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

  /** One version by id, or the latest version of a name. */
  async get(ref: string): Promise<OperationResource> {
    const row = await this.#row(ref);
    return this.#resource(row, this.parsed(row));
  }

  /** The parsed operation of a stored version. */
  parsed(row: Pick<OperationsTable, "id" | "name" | "version" | "source">): Operation {
    let op = this.#parsed.get(row.id);
    if (!op) {
      op = parseOperation(row.source, `${row.name} v${row.version}`);
      this.#parsed.set(row.id, op);
    }
    return op;
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

function digest(source: string): string {
  return createHash("sha256").update(source).digest("hex");
}
