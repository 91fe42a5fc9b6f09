import { afterAll, afterEach, describe, expect, it } from "vitest";
import { freshPostgresUrl } from "../../../test/support/fresh-postgres.ts";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { ManualClock } from "../../core/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { codeHash } from "./codes.ts";
import { Surveys } from "./surveys.ts";

afterAll(removeTempDirs);
const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

const all = (value: number) => ({ "cl-time": value, "id-hypotheses": value, "em-act": value });

describe.each([
  ["sqlite", async () => openStore({ home: await tempDir() })],
  ["postgres", async () => openStore({ databaseUrl: await freshPostgresUrl() })],
])("surveys on %s", (_dialect, open) => {
  async function setup() {
    const store = await open();
    stores.push(store);
    const clock = new ManualClock("2026-03-02T09:15:00.000Z");
    return { store, clock, surveys: new Surveys(store, clock) };
  }

  it("stores responses that no column, order or time links to a code, a token or a person", async () => {
    const { store, clock, surveys } = await setup();
    const { round, codes } = await surveys.start({ invitations: { team: 5 } });
    expect(round.name).toBe("2026-03");
    expect(codes).toHaveLength(5);
    // Responses arrive over days; what is stored must not say in which order.
    for (const [i, c] of codes.entries()) {
      clock.advance(86_400_000 + i * 3_600_000);
      await surveys.respond(c.code, all(i + 1));
    }
    const responses = await store.db.selectFrom("survey_responses").selectAll().execute();
    expect(Object.keys(responses[0] ?? {}).sort()).toEqual(["answers", "group_name", "id", "round_id"]);
    const hashes = codes.map((c) => codeHash(c.code));
    // A used code is gone: no row is left whose storage carries the responding transaction.
    expect(await store.db.selectFrom("survey_invitations").selectAll().execute()).toEqual([]);
    const spare = await surveys.invite(round.id, { team: 1 });
    const invitations = await store.db.selectFrom("survey_invitations").selectAll().execute();
    expect(Object.keys(invitations[0] ?? {}).sort()).toEqual(["code_hash", "group_name", "round_id"]);
    expect(invitations.map((i) => i.code_hash)).toEqual([codeHash(spare.codes[0]?.code as string)]);
    expect((await surveys.round(round.id)).invitations).toBe(6);
    for (const r of responses) {
      const text = JSON.stringify(r);
      for (const c of codes) expect(text).not.toContain(c.code);
      for (const h of hashes) expect(text).not.toContain(h);
      expect(text).not.toMatch(/20\d\d-\d\d-\d\dT/);
    }
    // Ids are random: stored and listed by id, never in the order they came.
    const ids = responses.map((r) => r.id);
    expect(new Set(ids).size).toBe(5);
    for (const id of ids) expect(id).toMatch(/^rsp_[0-9a-f]{32}$/);
    // No code is stored as given.
    const stored = JSON.stringify(invitations);
    for (const c of codes) expect(stored).not.toContain(c.code);
  });

  it("takes a code once, and refuses unknown codes and codes of a closed round alike", async () => {
    const { surveys } = await setup();
    const { round, codes } = await surveys.start({ invitations: { team: 2 } });
    const [first, second] = codes.map((c) => c.code);
    await surveys.respond((first as string).toLowerCase().replaceAll("-", " "), { "cl-time": 4 });
    await expect(surveys.respond(first as string, { "cl-time": 4 })).rejects.toMatchObject({
      code: "survey_invitation_refused",
    });
    await expect(surveys.respond("AAAA-BBBB-CCCC", { "cl-time": 4 })).rejects.toMatchObject({
      code: "survey_invitation_refused",
    });
    await expect(surveys.respond(second as string, { nope: 4 })).rejects.toMatchObject({
      code: "survey_answer_invalid",
    });
    await expect(surveys.respond(second as string, { "cl-time": 7 })).rejects.toMatchObject({
      code: "survey_answer_invalid",
    });
    await surveys.close(round.id);
    await expect(surveys.respond(second as string, { "cl-time": 4 })).rejects.toMatchObject({
      code: "survey_invitation_refused",
    });
    const again = await surveys.round(round.id);
    expect([again.invitations, again.responses, again.status]).toEqual([2, 1, "closed"]);
  });

  it("shows nothing for fewer than 3 respondents, and scores from 3 on", async () => {
    const { surveys } = await setup();
    const { round, codes } = await surveys.start({ invitations: { team: 3 } });
    await surveys.respond(codes[0]?.code as string, all(2));
    await surveys.respond(codes[1]?.code as string, all(4));
    const two = await surveys.results(round.id);
    expect(two.results.overall.dimensions.every((d) => d.score === null && d.respondents === null)).toBe(
      true,
    );
    await surveys.respond(codes[2]?.code as string, { "cl-time": 6, "id-hypotheses": 6 });
    const three = await surveys.results(round.id);
    const byId = new Map(three.results.overall.dimensions.map((d) => [d.id, d]));
    expect(byId.get("continuous-learning")).toMatchObject({ score: 4, respondents: 3 });
    expect(byId.get("inquiry-and-dialogue")).toMatchObject({ score: 4, respondents: 3 });
    // Only two answered an empowerment item: hidden.
    expect(byId.get("empowerment")).toMatchObject({ score: null, hidden: "fewer_than_3" });
  });

  it("keeps one open round per survey and names rounds after the planned ones or the month", async () => {
    const { surveys } = await setup();
    await surveys.start({ invitations: { team: 1 } });
    await expect(surveys.start({ invitations: { team: 1 } })).rejects.toMatchObject({
      code: "survey_round_state",
    });
    const rounds = await surveys.rounds();
    expect(rounds.map((r) => [r.survey_name, r.name, r.status])).toEqual([
      ["learning-organisation", "2026-03", "open"],
    ]);
  });
});
