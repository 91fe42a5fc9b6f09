import type { Selectable } from "kysely";
import { computeEtag, type FieldSpecs, type Page, type PageQuery } from "../../api/index.ts";
import { newId } from "../../core/index.ts";
import type { Database } from "../../store/index.ts";
import { MemberNameTakenError, TeamResourceNotFoundError } from "./errors.ts";
import {
  type Interview,
  type InterviewCreate,
  type InterviewUpdate,
  MEMBER_CLASSES,
  type Member,
  type MemberClass,
  type MemberCreate,
  type MemberUpdate,
  RUBRIC_CRITERIA,
  type Rubric,
} from "./model.ts";
import { type Core, type RevisionTable, teamTable, type WriteOptions } from "./resource-table.ts";

type MemberRow = Selectable<Database["team_members"]>;
type InterviewRow = Selectable<Database["team_interviews"]>;

export const MEMBER_FIELDS: FieldSpecs = {
  name: { type: "string", sortable: true },
  class: { type: "string", values: MEMBER_CLASSES, sortable: true },
  created_at: { type: "timestamp", sortable: true },
  updated_at: { type: "timestamp", sortable: true },
};

export const INTERVIEW_FIELDS: FieldSpecs = {
  candidate: { type: "string", sortable: true },
  scenario: { type: "string" },
  session_id: { type: "string" },
  created_at: { type: "timestamp", sortable: true },
  updated_at: { type: "timestamp", sortable: true },
};

export function toMember(row: MemberRow): Member {
  const body = {
    id: row.id,
    name: row.name,
    display_name: row.display_name,
    class: row.class as MemberClass,
    skills: JSON.parse(row.skills) as string[],
    created_at: row.created_at,
    updated_at: row.updated_at,
    ...(row.deleted_at ? { deleted_at: row.deleted_at } : {}),
  };
  return { ...body, etag: computeEtag(body) };
}

export function toInterview(row: InterviewRow): Interview {
  const rubric = JSON.parse(row.rubric) as Rubric;
  const score = rubricScore(rubric);
  const body = {
    id: row.id,
    candidate: row.candidate,
    interviewers: JSON.parse(row.interviewers) as string[],
    ...(row.scenario !== null ? { scenario: row.scenario } : {}),
    ...(row.session_id !== null ? { session_id: row.session_id } : {}),
    rubric,
    ...(score !== undefined ? { score } : {}),
    transcript: row.transcript,
    excluded_from_metrics: true as const,
    created_at: row.created_at,
    updated_at: row.updated_at,
    ...(row.deleted_at ? { deleted_at: row.deleted_at } : {}),
  };
  return { ...body, etag: computeEtag(body) };
}

/** Points given over points possible for the criteria scored (0..1), rounded to 2 places. */
export function rubricScore(rubric: Rubric): number | undefined {
  const given = RUBRIC_CRITERIA.flatMap((c) => (rubric[c] === undefined ? [] : [rubric[c] as number]));
  if (given.length === 0) return undefined;
  const points = given.reduce((a, b) => a + b - 1, 0);
  return Math.round((points / (given.length * 3)) * 100) / 100;
}

/** Members of the team: names, classes, skill areas. Routes and the CLI both go through this. */
export class Members {
  readonly #t: RevisionTable<MemberRow, Member>;
  constructor(core: Core) {
    this.#t = teamTable<MemberRow, Member>(core, {
      table: "team_members",
      what: "member",
      fields: MEMBER_FIELDS,
      toEntity: toMember,
      onUnique: (row) => new MemberNameTakenError(row.name),
    });
  }

  async create(input: MemberCreate, options: WriteOptions = {}): Promise<Member> {
    const now = this.#t.now();
    const row: MemberRow = {
      id: newId("mem", new Date(now)),
      name: input.name,
      display_name: input.display_name ?? input.name,
      class: input.class,
      skills: JSON.stringify(normalSkills(input.skills ?? [])),
      created_at: now,
      updated_at: now,
      deleted_at: null,
      revision: 1,
    };
    if (options.validateOnly) await this.#assertNameFree(input.name, undefined);
    return this.#t.insert(row, options);
  }

  list = (query: PageQuery): Promise<Page<Member>> => this.#t.list(query);
  get = (id: string): Promise<Member> => this.#t.get(id);
  /** Every live member, by id. */
  all = (): Promise<Member[]> => this.#t.all();

  /** A member by id (`mem_…`) or live name. */
  async find(ref: string): Promise<Member> {
    if (ref.startsWith("mem_")) return this.get(ref);
    const found = (await this.all()).find((m) => m.name === ref);
    if (!found) throw new TeamResourceNotFoundError("member", `"${ref}"`);
    return found;
  }

  async update(id: string, patch: MemberUpdate, options: WriteOptions = {}): Promise<Member> {
    if (options.validateOnly && patch.name !== undefined) await this.#assertNameFree(patch.name, id);
    return this.#t.update(
      id,
      () => ({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.display_name !== undefined ? { display_name: patch.display_name } : {}),
        ...(patch.class !== undefined ? { class: patch.class } : {}),
        ...(patch.skills !== undefined ? { skills: JSON.stringify(normalSkills(patch.skills)) } : {}),
      }),
      options,
    );
  }

  remove = (id: string, options: WriteOptions = {}): Promise<void> => this.#t.remove(id, options);

  async undelete(id: string, options: WriteOptions = {}): Promise<Member> {
    const row = await this.#t.row(id);
    if (row.deleted_at !== null) await this.#assertNameFree(row.name, id);
    return this.#t.undelete(id, options);
  }

  async #assertNameFree(name: string, exceptId: string | undefined): Promise<void> {
    const other = (await this.all()).find((m) => m.name === name);
    if (other && other.id !== exceptId) throw new MemberNameTakenError(name);
  }
}

/** Interviews: a candidate plays a scenario; scored on the rubric; never counted in team metrics. */
export class Interviews {
  readonly #t: RevisionTable<InterviewRow, Interview>;
  constructor(core: Core) {
    this.#t = teamTable<InterviewRow, Interview>(core, {
      table: "team_interviews",
      what: "interview",
      fields: INTERVIEW_FIELDS,
      toEntity: toInterview,
    });
  }

  async create(input: InterviewCreate, options: WriteOptions = {}): Promise<Interview> {
    const now = this.#t.now();
    return this.#t.insert(
      {
        id: newId("itv", new Date(now)),
        candidate: input.candidate,
        interviewers: JSON.stringify(input.interviewers),
        scenario: input.scenario ?? null,
        session_id: input.session_id ?? null,
        rubric: JSON.stringify(orderedRubric(input.rubric ?? {})),
        transcript: input.transcript ?? "",
        created_at: now,
        updated_at: now,
        deleted_at: null,
        revision: 1,
      },
      options,
    );
  }

  list = (query: PageQuery): Promise<Page<Interview>> => this.#t.list(query);
  get = (id: string): Promise<Interview> => this.#t.get(id);
  all = (): Promise<Interview[]> => this.#t.all();

  update(id: string, patch: InterviewUpdate, options: WriteOptions = {}): Promise<Interview> {
    return this.#t.update(
      id,
      (row) => ({
        ...(patch.candidate !== undefined ? { candidate: patch.candidate } : {}),
        ...(patch.interviewers !== undefined ? { interviewers: JSON.stringify(patch.interviewers) } : {}),
        ...(patch.scenario !== undefined ? { scenario: patch.scenario } : {}),
        ...(patch.session_id !== undefined ? { session_id: patch.session_id } : {}),
        // Scores merge: an interviewer can score one criterion at a time.
        ...(patch.rubric !== undefined
          ? {
              rubric: JSON.stringify(
                orderedRubric({ ...(JSON.parse(row.rubric) as Rubric), ...patch.rubric }),
              ),
            }
          : {}),
        ...(patch.transcript !== undefined ? { transcript: patch.transcript } : {}),
      }),
      options,
    );
  }

  remove = (id: string, options: WriteOptions = {}): Promise<void> => this.#t.remove(id, options);
  undelete = (id: string, options: WriteOptions = {}): Promise<Interview> => this.#t.undelete(id, options);
}

function normalSkills(skills: readonly string[]): string[] {
  return [...new Set(skills)].sort();
}

function orderedRubric(rubric: Rubric): Rubric {
  const out: Record<string, number> = {};
  for (const c of RUBRIC_CRITERIA) if (rubric[c] !== undefined) out[c] = rubric[c] as number;
  return out as Rubric;
}
