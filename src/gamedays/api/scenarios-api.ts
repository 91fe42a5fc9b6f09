import { createHash } from "node:crypto";
import type { Static } from "typebox";
import { type CoreContext, type FieldSpecs, type Page, type PageQuery, paginate } from "../../api/index.ts";
import { newId } from "../../core/index.ts";
import {
  type ActionUse,
  type AllowList,
  actionsUsed,
  checksUsed,
  stepsUsed,
} from "../../operations/index.ts";
import { type Database, isUniqueViolation } from "../../store/index.ts";
import {
  DEFAULT_ROLES,
  type LoadedScenario,
  parseScenario,
  resolveScenario,
  type Scenario,
} from "../scenario/index.ts";
import { ScenarioNotFoundError } from "./errors.ts";
import type { ScenarioResourceSchema } from "./schemas.ts";

type GamedayScenariosTable = Database["gameday_scenarios"];

export type ScenarioResource = Static<typeof ScenarioResourceSchema>;

export const SCENARIO_FIELDS: FieldSpecs = {
  name: { type: "string", sortable: true },
  title: { type: "string", sortable: true },
  version: { type: "number", sortable: true },
  created_at: { type: "timestamp", sortable: true },
};

type Core = Pick<CoreContext, "store" | "clock" | "cursors">;

export interface ScenariosApiOptions {
  /** Operation files are read only inside this directory (`serve --files-root`); default: the working directory. */
  readonly filesRoot?: string | undefined;
  /** The actions this server executes (`serve --allow-actions`); none: every action. */
  readonly allowActions?: AllowList | undefined;
}

/** What a scenario's own text makes the server execute: inline fault steps and its checks. */
function scenarioActions(s: Scenario): ActionUse[] {
  return [
    ...s.faults.flatMap((f, i) => stepsUsed(f.steps ?? [], `faults[${i}].steps`)),
    ...checksUsed(s.objectives, "objectives"),
    ...checksUsed(s.stop_conditions, "stop_conditions"),
  ];
}

/**
 * `/api/scenarios`: scenario/v1 texts, checked with the same loader as `gameday plan` (the text
 * itself; operation files a fault names are read on the machine that starts the session).
 */
export class ScenariosApi {
  readonly #core: Core;
  readonly #parsed = new Map<string, Scenario>();
  readonly #filesRoot: string;
  readonly #allow: AllowList | undefined;

  constructor(core: Core, options: ScenariosApiOptions = {}) {
    this.#core = core;
    this.#filesRoot = options.filesRoot ?? process.cwd();
    this.#allow = options.allowActions;
  }

  /** Register text: created for a new version, or the existing version when the text is the same. */
  async register(
    input: { source: string; file?: string | undefined },
    options: { validateOnly?: boolean } = {},
  ): Promise<{ scenario: ScenarioResource; created: boolean }> {
    const file = input.file ?? "scenario.yaml";
    const scenario = parseScenario(input.source, file);
    // Operation files are read (and checked) when a session starts; what the text itself says is checked now.
    this.#allow?.check(scenarioActions(scenario));
    const digest = sha256(input.source);
    const now = this.#core.clock.now();
    for (let attempt = 0; ; attempt++) {
      const db = this.#core.store.db;
      const same = await db
        .selectFrom("gameday_scenarios")
        .selectAll()
        .where("digest", "=", digest)
        .executeTakeFirst();
      if (same) return { scenario: this.#resource(same, this.#parse(same)), created: false };
      const latest = await db
        .selectFrom("gameday_scenarios")
        .select(({ fn }) => fn.max("version").as("v"))
        .where("name", "=", scenario.name)
        .executeTakeFirst();
      const row = this.#newRow(scenario, file, input.source, digest, Number(latest?.v ?? 0) + 1, now);
      if (options.validateOnly) return { scenario: this.#resource(row, scenario), created: false };
      try {
        await db.insertInto("gameday_scenarios").values(row).execute();
        return { scenario: this.#resource(row, scenario), created: true };
      } catch (error) {
        // Another request registered this text or this version first: look again.
        if (!isUniqueViolation(error) || attempt >= 3) throw error;
      }
    }
  }

  /** The latest version of every scenario. */
  async list(query: PageQuery): Promise<Page<ScenarioResource>> {
    const latest = this.#core.store.db
      .selectFrom("gameday_scenarios")
      .selectAll()
      .where(({ eb, selectFrom }) =>
        eb(
          "version",
          "=",
          selectFrom("gameday_scenarios as s2")
            .select(({ fn }) => fn.max("s2.version").as("v"))
            .whereRef("s2.name", "=", "gameday_scenarios.name"),
        ),
      );
    const page = await paginate(latest, query, {
      collection: "gameday_scenarios",
      fields: SCENARIO_FIELDS,
      codec: this.#core.cursors,
    });
    const items = page.items.map((row) => this.#resource(row, this.#parse(row)));
    return page.next_cursor ? { items, next_cursor: page.next_cursor } : { items };
  }

  /** One version by id (`scn_…`), or the latest version of a name. */
  async get(ref: string): Promise<ScenarioResource> {
    const row = await this.#row(ref);
    return this.#resource(row, this.#parse(row));
  }

  /**
   * A registered version ready to play: checked again, every fault's operation resolved (operation
   * files relative to the path it was registered from, inside the files root of this machine).
   */
  async resolve(ref: string): Promise<LoadedScenario> {
    const row = await this.#row(ref);
    const loaded = await resolveScenario(row.source, row.file, { filesRoot: this.#filesRoot });
    // Again at each start: the operation files may have changed, and the allow-list too.
    this.#allow?.check([
      ...scenarioActions(loaded.scenario),
      ...loaded.faults
        .filter((f) => f.fault.operation !== undefined)
        .flatMap((f) => actionsUsed(f.operation, `faults[${f.index}] (${f.fault.operation}): `)),
    ]);
    return loaded;
  }

  async #row(ref: string): Promise<GamedayScenariosTable> {
    const db = this.#core.store.db;
    const row = ref.startsWith("scn_")
      ? await db.selectFrom("gameday_scenarios").selectAll().where("id", "=", ref).executeTakeFirst()
      : await db
          .selectFrom("gameday_scenarios")
          .selectAll()
          .where("name", "=", ref)
          .orderBy("version", "desc")
          .limit(1)
          .executeTakeFirst();
    if (!row) throw new ScenarioNotFoundError(ref);
    return row;
  }

  #parse(row: GamedayScenariosTable): Scenario {
    let s = this.#parsed.get(row.id);
    if (!s) {
      s = parseScenario(row.source, row.file);
      this.#parsed.set(row.id, s);
    }
    return s;
  }

  #newRow(
    scenario: Scenario,
    file: string,
    source: string,
    digest: string,
    version: number,
    now: Date,
  ): GamedayScenariosTable {
    return {
      id: newId("scn", now),
      name: scenario.name,
      version,
      title: scenario.title ?? scenario.name,
      file,
      source,
      digest,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    };
  }

  #resource(row: GamedayScenariosTable, s: Scenario): ScenarioResource {
    return {
      id: row.id,
      name: row.name,
      version: Number(row.version),
      title: row.title,
      ...(s.difficulty !== undefined ? { difficulty: s.difficulty } : {}),
      timebox: s.timebox,
      brief: s.brief,
      roles: s.roles ?? [...DEFAULT_ROLES],
      faults: s.faults.map((f) => ({
        name: f.name,
        at: f.at,
        ...(f.operation !== undefined ? { operation: f.operation } : {}),
        inline_steps: f.steps?.length ?? 0,
      })),
      injects: s.injects?.length ?? 0,
      hints: s.hints?.length ?? 0,
      objectives: s.objectives.length,
      stop_conditions: s.stop_conditions?.length ?? 0,
      file: row.file,
      digest: row.digest,
      source: row.source,
      created_at: row.created_at,
      updated_at: row.updated_at,
      etag: row.digest.slice(0, 32),
    };
  }
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
