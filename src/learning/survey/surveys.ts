import { createHash, randomInt } from "node:crypto";
import type { Clock } from "../../core/index.ts";
import { newId } from "../../core/index.ts";
import type { Store } from "../../store/index.ts";
import {
  InvitationRefusedError,
  LearningInvalidError,
  LearningNotFoundError,
  SurveyAnswerError,
  SurveyRoundStateError,
} from "../errors.ts";
import { codeHash, newCode, type RandomBytes, responseId } from "./codes.ts";
import { DEFAULT_SURVEY_SOURCE } from "./default-survey.ts";
import { parseSurvey } from "./load.ts";
import { SCALE_MAX, SCALE_MIN, type Survey } from "./model.ts";
import { type ResponseRecord, type SurveyResults, surveyResults } from "./results.ts";

export interface SurveyRecord {
  readonly id: string;
  readonly name: string;
  readonly version: number;
  readonly title: string;
  readonly created_at: string;
  readonly survey: Survey;
}

export interface RoundRecord {
  readonly id: string;
  readonly survey_id: string;
  readonly survey_name: string;
  readonly name: string;
  readonly status: "open" | "closed";
  readonly opened_on: string;
  readonly closed_on?: string;
  /** Invitation codes made, and responses: counts only, never which. */
  readonly invitations: number;
  readonly responses: number;
}

export interface StartInput {
  /** The survey's id or name; default: the built-in survey. */
  readonly survey?: string;
  /** The round's name; default: the survey's first planned round not opened yet, else YYYY-MM. */
  readonly round?: string;
  /** Group name → how many codes; default one group `team`. */
  readonly invitations: Readonly<Record<string, number>>;
}

export interface Invitations {
  readonly round: RoundRecord;
  /** The codes, in no order: this is the only time they are shown. */
  readonly codes: ReadonlyArray<{ readonly group: string; readonly code: string }>;
}

const MAX_CODES = 1000;

/**
 * Surveys, their rounds, invitation codes and anonymous responses (docs/learning.md "Surveys").
 * The API routes and the CLI both go through this.
 */
export class Surveys {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #random: RandomBytes | undefined;
  constructor(store: Store, clock: Clock, random?: RandomBytes) {
    this.#store = store;
    this.#clock = clock;
    this.#random = random;
  }

  /** Register a survey text: the same text again is the same version; changed text a new one. */
  async register(source: string, file: string): Promise<{ survey: SurveyRecord; created: boolean }> {
    const survey = parseSurvey(source, file);
    const digest = createHash("sha256").update(source).digest("hex");
    const db = this.#store.db;
    const same = await db
      .selectFrom("surveys")
      .selectAll()
      .where("name", "=", survey.name)
      .where("digest", "=", digest)
      .executeTakeFirst();
    if (same) return { survey: toSurvey(same), created: false };
    const last = await db
      .selectFrom("surveys")
      .select("version")
      .where("name", "=", survey.name)
      .orderBy("version", "desc")
      .executeTakeFirst();
    const now = this.#clock.now();
    const row = {
      id: newId("srv", now),
      name: survey.name,
      version: (last?.version ?? 0) + 1,
      title: survey.title,
      source,
      digest,
      created_at: now.toISOString(),
    };
    await db.insertInto("surveys").values(row).execute();
    return { survey: toSurvey(row), created: true };
  }

  /** A survey by id, or the latest version of a name; the built-in one is registered on first use. */
  async get(ref?: string): Promise<SurveyRecord> {
    if (ref === undefined) return (await this.register(DEFAULT_SURVEY_SOURCE, "(built-in survey)")).survey;
    const db = this.#store.db;
    const row = ref.startsWith("srv_")
      ? await db.selectFrom("surveys").selectAll().where("id", "=", ref).executeTakeFirst()
      : await db
          .selectFrom("surveys")
          .selectAll()
          .where("name", "=", ref)
          .orderBy("version", "desc")
          .executeTakeFirst();
    if (row) return toSurvey(row);
    if (ref === parseSurvey(DEFAULT_SURVEY_SOURCE, "(built-in survey)").name) return this.get();
    throw new LearningNotFoundError(
      "survey",
      `"${ref}"`,
      "register one with `opsdojo survey start --file FILE`",
    );
  }

  async list(): Promise<SurveyRecord[]> {
    const rows = await this.#store.db
      .selectFrom("surveys")
      .selectAll()
      .orderBy("name")
      .orderBy("version")
      .execute();
    return rows.map(toSurvey);
  }

  /** Open a round of a survey and make its invitation codes. One open round per survey at a time. */
  async start(input: StartInput): Promise<Invitations> {
    const survey = await this.get(input.survey);
    const db = this.#store.db;
    const open = await db
      .selectFrom("survey_rounds")
      .select("name")
      .where("survey_id", "in", db.selectFrom("surveys").select("id").where("name", "=", survey.name))
      .where("status", "=", "open")
      .executeTakeFirst();
    if (open) {
      throw new SurveyRoundStateError(
        `round ${open.name} of ${survey.name} is still open; close it first (\`opsdojo survey close ${open.name}\`)`,
      );
    }
    const taken = new Set(
      (
        await db
          .selectFrom("survey_rounds")
          .select("name")
          .where("survey_id", "in", db.selectFrom("surveys").select("id").where("name", "=", survey.name))
          .execute()
      ).map((r) => r.name),
    );
    const now = this.#clock.now();
    const name =
      input.round ??
      survey.survey.rounds?.find((r) => !taken.has(r.name))?.name ??
      now.toISOString().slice(0, 7);
    if (taken.has(name)) {
      throw new SurveyRoundStateError(
        `${survey.name} already has a round named ${name}; pick another name with --round`,
      );
    }
    const id = newId("rnd", now);
    await db
      .insertInto("survey_rounds")
      .values({
        id,
        survey_id: survey.id,
        name,
        status: "open",
        opened_on: now.toISOString().slice(0, 10),
        closed_on: null,
        created_at: now.toISOString(),
      })
      .execute();
    return this.invite(id, input.invitations);
  }

  /** More codes for an open round. */
  async invite(roundRef: string, groups: Readonly<Record<string, number>>): Promise<Invitations> {
    const round = await this.round(roundRef);
    if (round.status !== "open")
      throw new SurveyRoundStateError(`round ${round.name} is closed; start a new round`);
    const total = Object.values(groups).reduce((a, b) => a + b, 0);
    if (total < 1 || total > MAX_CODES || Object.values(groups).some((n) => !Number.isInteger(n) || n < 0)) {
      throw new LearningInvalidError(
        `ask for between 1 and ${MAX_CODES} invitation codes in all`,
        "/invitations",
      );
    }
    const codes: Array<{ group: string; code: string }> = [];
    for (const [group, n] of Object.entries(groups))
      for (let i = 0; i < n; i++) codes.push({ group, code: newCode(this.#random) });
    await this.#store.db.transaction().execute(async (tx) => {
      await tx
        .insertInto("survey_invitations")
        .values(codes.map((c) => ({ code_hash: codeHash(c.code), round_id: round.id, group_name: c.group })))
        .execute();
      await tx
        .updateTable("survey_rounds")
        .set((eb) => ({ invitations: eb("invitations", "+", codes.length) }))
        .where("id", "=", round.id)
        .execute();
    });
    return { round: await this.round(round.id), codes: shuffle(codes) };
  }

  /** The questions an invitation code answers, without using the code up. */
  async questionnaire(code: string): Promise<{ round: string; survey: Survey }> {
    const inv = await this.#invitation(code);
    const round = await this.round(inv.round_id);
    return { round: round.name, survey: (await this.get(round.survey_id)).survey };
  }

  /**
   * Record one response for an invitation code and use the code up, in one transaction. The row
   * written has a random id, the round, the code's group and the answers: nothing that leads back
   * to the code, the token (there is none) or the time.
   */
  async respond(code: string, answers: Readonly<Record<string, number>>): Promise<{ round: string }> {
    const inv = await this.#invitation(code);
    const round = await this.round(inv.round_id);
    checkAnswers((await this.get(round.survey_id)).survey, answers);
    await this.#store.db.transaction().execute(async (tx) => {
      // Deleted, not marked: an updated row would keep this transaction's id beside the response's.
      const used = await tx
        .deleteFrom("survey_invitations")
        .where("code_hash", "=", inv.code_hash)
        .executeTakeFirst();
      // Another request used it between the read and now.
      if (Number(used.numDeletedRows) !== 1) throw new InvitationRefusedError();
      await tx
        .insertInto("survey_responses")
        .values({
          id: responseId(this.#random),
          round_id: round.id,
          group_name: inv.group_name,
          answers: JSON.stringify(sorted(answers)),
        })
        .execute();
    });
    return { round: round.name };
  }

  async close(roundRef: string): Promise<RoundRecord> {
    const round = await this.round(roundRef);
    if (round.status === "closed") return round;
    await this.#store.db
      .updateTable("survey_rounds")
      .set({ status: "closed", closed_on: this.#clock.now().toISOString().slice(0, 10) })
      .where("id", "=", round.id)
      .execute();
    return this.round(round.id);
  }

  /** A round by id (`rnd_…`) or name (the latest round of that name, across surveys). */
  async round(ref: string): Promise<RoundRecord> {
    const rounds = await this.rounds();
    const found = ref.startsWith("rnd_")
      ? rounds.find((r) => r.id === ref)
      : rounds.filter((r) => r.name === ref).at(-1);
    if (!found) throw new LearningNotFoundError("round", ref, "`opsdojo survey rounds` lists them");
    return found;
  }

  /** Every round, oldest first, with counts. */
  async rounds(): Promise<RoundRecord[]> {
    const db = this.#store.db;
    const rows = await db
      .selectFrom("survey_rounds")
      .innerJoin("surveys", "surveys.id", "survey_rounds.survey_id")
      .select([
        "survey_rounds.id",
        "survey_rounds.survey_id",
        "surveys.name as survey_name",
        "survey_rounds.name",
        "survey_rounds.status",
        "survey_rounds.opened_on",
        "survey_rounds.closed_on",
        "survey_rounds.invitations",
      ])
      .orderBy("survey_rounds.created_at")
      .orderBy("survey_rounds.id")
      .execute();
    const responses = await db
      .selectFrom("survey_responses")
      .select(["round_id", (eb) => eb.fn.countAll<number>().as("n")])
      .groupBy("round_id")
      .execute();
    const byRound = new Map(responses.map((r) => [r.round_id, Number(r.n)]));
    return rows.map((r) => ({
      id: r.id,
      survey_id: r.survey_id,
      survey_name: r.survey_name,
      name: r.name,
      status: r.status as "open" | "closed",
      opened_on: r.opened_on,
      ...(r.closed_on !== null ? { closed_on: r.closed_on } : {}),
      invitations: Number(r.invitations),
      responses: byRound.get(r.id) ?? 0,
    }));
  }

  /** The round's scores per dimension, each hidden below 3 respondents. */
  async results(
    roundRef: string,
  ): Promise<{ round: RoundRecord; survey: SurveyRecord; results: SurveyResults }> {
    const round = await this.round(roundRef);
    const survey = await this.get(round.survey_id);
    const rows = await this.#store.db
      .selectFrom("survey_responses")
      .select(["group_name", "answers"])
      .where("round_id", "=", round.id)
      .execute();
    const responses: ResponseRecord[] = rows.map((r) => ({
      group: r.group_name,
      answers: JSON.parse(r.answers) as Record<string, number>,
    }));
    return { round, survey, results: surveyResults(survey.survey, responses) };
  }

  async #invitation(code: string) {
    const inv = await this.#store.db
      .selectFrom("survey_invitations")
      .innerJoin("survey_rounds", "survey_rounds.id", "survey_invitations.round_id")
      .select([
        "survey_invitations.code_hash",
        "survey_invitations.round_id",
        "survey_invitations.group_name",
        "survey_rounds.status",
      ])
      .where("survey_invitations.code_hash", "=", codeHash(code))
      .executeTakeFirst();
    if (inv?.status !== "open") throw new InvitationRefusedError();
    return inv;
  }
}

/** Every answer names an item of the survey and is a whole number on the scale; at least one. */
export function checkAnswers(survey: Survey, answers: Readonly<Record<string, number>>): void {
  const items = new Set(survey.dimensions.flatMap((d) => d.items.map((i) => i.id)));
  const entries = Object.entries(answers);
  if (entries.length === 0) throw new SurveyAnswerError("answer at least one item", "/answers");
  for (const [item, value] of entries) {
    if (!items.has(item))
      throw new SurveyAnswerError(`"${item}" is not an item of survey ${survey.name}`, `/answers/${item}`);
    if (!Number.isInteger(value) || value < SCALE_MIN || value > SCALE_MAX)
      throw new SurveyAnswerError(
        `the answer to ${item} must be a whole number from ${SCALE_MIN} to ${SCALE_MAX}`,
        `/answers/${item}`,
      );
  }
}

function toSurvey(row: {
  id: string;
  name: string;
  version: number;
  title: string;
  source: string;
  created_at: string;
}): SurveyRecord {
  return {
    id: row.id,
    name: row.name,
    version: Number(row.version),
    title: row.title,
    created_at: row.created_at,
    survey: parseSurvey(row.source, row.name),
  };
}

function sorted(answers: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(answers).sort(([a], [b]) => a.localeCompare(b)));
}

/** Codes handed out in no particular order, so a list's order says nothing about the groups. */
function shuffle<T>(list: T[]): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
