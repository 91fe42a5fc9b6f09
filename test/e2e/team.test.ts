import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/index.ts";
import { appendEntry, markHypothesis, SessionRepository } from "../../src/gamedays/index.ts";
import type { EntryKind } from "../../src/gamedays/timeline/index.ts";
import { openStore } from "../../src/store/index.ts";
import { opsdojo, type Run, type Started, startServe } from "../support/opsdojo-process.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";

function json<T = Record<string, unknown>>(run: Run): T {
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as T;
}

afterAll(removeTempDirs);

const SPAWNING = { timeout: 300_000 };
const SCENARIO = new URL("../../examples/gamedays/broken-config/scenario.yaml", import.meta.url);

type Step = [
  seconds: number,
  kind: EntryKind,
  source: "auto" | "human",
  text: string,
  extra?: { by?: string; data?: Record<string, unknown>; correct?: boolean },
];

/**
 * A played session written the way the session runner writes one (its repository and timeline),
 * with a clock the test sets: the postmortem's times can then be checked to the second.
 */
async function playedSession(
  home: string,
  start: string,
  gm: string,
  players: { name: string; role: string }[],
  steps: Step[],
): Promise<string> {
  const store = await openStore({ home });
  try {
    const clock = new ManualClock(start);
    const repo = new SessionRepository(store, clock);
    const source = await readFile(SCENARIO, "utf8");
    const id = await repo.create({
      scenario: "broken-config",
      title: "The Extra S",
      file: SCENARIO.pathname,
      source,
      gm,
      players,
      owner: "test",
      leaseMs: 60_000,
      faults: [],
    });
    const t0 = Date.parse(start);
    for (const [s, kind, src, text, extra] of steps) {
      const at = new Date(t0 + s * 1000);
      const entry = await appendEntry(store.db, clock, id, {
        kind,
        source: src,
        text,
        at,
        ...(extra?.by ? { by: extra.by } : {}),
        ...(extra?.data ? { data: extra.data } : {}),
      });
      if (kind === "fault.injected") await repo.noteInjection(id, at.toISOString());
      if (extra?.correct !== undefined) await markHypothesis(store.db, id, entry.seq, extra.correct);
    }
    clock.set(new Date(t0 + (steps.at(-1)?.[0] ?? 0) * 1000 + 1000));
    await repo.setStatus(id, "ended", {
      end_reason: "resolved",
      ended_at: clock.now().toISOString(),
      clean_restore: 1,
    });
    return id;
  } finally {
    await store.close();
  }
}

const iso = (start: string, seconds: number) => new Date(Date.parse(start) + seconds * 1000).toISOString();

describe("opsdojo team, actions and postmortems through the CLI", SPAWNING, () => {
  let home: string;
  let first: string;
  const START = "2026-01-10T10:00:00.000Z";

  beforeAll(async () => {
    home = await tempDir();
    first = await playedSession(
      home,
      START,
      "alice",
      [
        { name: "bob", role: "primary" },
        { name: "carol", role: "secondary" },
      ],
      [
        [0, "session.started", "auto", "session started"],
        [60, "fault.injected", "auto", "typo-db-url injected"],
        [62, "objective.failing", "auto", "orders-health failing", { data: { objective: "orders-health" } }],
        [185, "ack", "human", "looking at it", { by: "bob" }],
        [360, "hypothesis", "human", "db_url has a typo", { by: "carol", correct: true }],
        [700, "mitigated", "human", "fixed app.conf", { by: "carol" }],
        [720, "objective.passing", "auto", "orders-health passing", { data: { objective: "orders-health" } }],
        [730, "session.resolved", "auto", "resolved", { data: { since: iso(START, 720) } }],
        [740, "restore.finished", "auto", "restored", { data: { clean: true } }],
      ],
    );
  });

  it("adds, lists and removes members; refuses bad input with exit 3", async () => {
    for (const [name, cls, skills] of [
      ["alice", "sysadmin", "linux,config"],
      ["bob", "developer", "linux,postgres"],
      ["carol", "specialist", "config,postgres,dns"],
      ["dave", "generalist", "dns"],
    ]) {
      const added = json<{ id: string; name: string; class: string }>(
        await opsdojo(home, [
          "team",
          "add",
          name as string,
          "--class",
          cls as string,
          "--skills",
          skills as string,
          "--json",
        ]),
      );
      expect(added.id).toMatch(/^mem_/);
      expect(added.class).toBe(cls);
    }
    const listed = json<{ items: { name: string; skills: string[] }[] }>(
      await opsdojo(home, ["team", "list", "--json"]),
    );
    expect(listed.items.map((m) => m.name)).toEqual(["alice", "bob", "carol", "dave"]);
    expect(listed.items[2]?.skills).toEqual(["config", "dns", "postgres"]);

    const bad = await opsdojo(home, ["team", "add", "Eve", "--class", "wizard"]);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain("body /class: must be one of");
    const taken = await opsdojo(home, ["team", "add", "alice", "--class", "sysadmin"]);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('a member named "alice" already exists');

    const removed = json<{ deleted_at?: string }>(await opsdojo(home, ["team", "remove", "dave", "--json"]));
    expect(removed.deleted_at).toBeDefined();
    const after = json<{ items: { name: string }[] }>(await opsdojo(home, ["team", "list", "--json"]));
    expect(after.items.map((m) => m.name)).toEqual(["alice", "bob", "carol"]);
  });

  it("reports the balance of a party with its bus factor and a suggestion", async () => {
    const b = json<{
      areas: { area: string; covered_by: string[]; status: string }[];
      warnings: string[];
      suggestions: { name: string; adds: string[] }[];
    }>(await opsdojo(home, ["team", "balance", "alice", "bob", "--areas", "linux,postgres,dns", "--json"]));
    expect(b.areas.map((a) => [a.area, a.status])).toEqual([
      ["dns", "gap"],
      ["linux", "ok"],
      ["postgres", "bus_factor_one"],
    ]);
    expect(b.warnings).toContain("bus factor of one: only bob covers postgres");
    expect(b.suggestions[0]).toMatchObject({ name: "carol", adds: ["dns", "postgres"] });

    const text = await opsdojo(home, ["team", "balance", "alice", "bob", "--areas", "linux,postgres,dns"]);
    expect(text.stdout).toContain("warning: bus factor of one: only bob covers postgres");
    expect(text.stdout).toContain("suggest: add carol");

    const unknown = await opsdojo(home, ["team", "balance", "alice", "zed"]);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain("not a member and never played a drill: zed");
  });

  it("writes the postmortem of a played session with the times of its timeline", async () => {
    const retro = await opsdojo(home, [
      "gameday",
      "retro",
      first,
      "--well",
      "Fast ack",
      "--wrong",
      "No alert fired",
      "--by",
      "alice",
      "--json",
    ]);
    expect(json<{ items: { kind: string }[] }>(retro).items.map((e) => e.kind)).toEqual(["well", "wrong"]);
    await opsdojo(home, ["gameday", "retro", first, "--lucky", "Nobody was ordering"]);

    const action = json<{ id: string; scenario: string; status: string }>(
      await opsdojo(home, [
        "actions",
        "add",
        "--session",
        first,
        "--title",
        "Alert on config changes",
        "--owner",
        "bob",
        "--due",
        "2026-02-01",
        "--json",
      ]),
    );
    expect(action.scenario).toBe("broken-config");
    expect(action.status).toBe("open");

    const pm = json<{
      title: string;
      summary: string;
      metrics: { name: string; seconds?: number }[];
      timeline: { kind: string; offset_s: number }[];
      went_well: string[];
      lucky: string[];
      root_cause: string;
      action_items: { id: string }[];
      impact: { degraded_s: number; restore_clean: boolean };
    }>(await opsdojo(home, ["gameday", "postmortem", first, "--format", "json"]));
    expect(pm.title).toBe("The Extra S");
    const seconds = Object.fromEntries(pm.metrics.map((m) => [m.name, m.seconds]));
    expect(seconds).toEqual({
      time_to_detect_s: 2,
      time_to_acknowledge_s: 125,
      time_to_correct_hypothesis_s: 300,
      time_to_mitigate_s: 640,
      time_to_resolve_s: 660,
    });
    expect(pm.timeline.find((t) => t.kind === "hypothesis")?.offset_s).toBe(300);
    expect(pm.impact).toMatchObject({ degraded_s: 658, restore_clean: true });
    expect(pm.went_well).toEqual(["Fast ack (alice)"]);
    expect(pm.lucky).toEqual(["Nobody was ordering"]);
    expect(pm.root_cause).toContain("postgress:// instead of postgres://");
    expect(pm.action_items.map((a) => a.id)).toEqual([action.id]);

    const md = await opsdojo(home, ["gameday", "postmortem", first]);
    expect(md.code).toBe(0);
    expect(md.stdout.startsWith("# Postmortem: The Extra S\n")).toBe(true);
    expect(md.stdout).toContain("| time to resolve | 11m00s |");
    expect(md.stdout).toContain(
      "| 10:06:00 | +5m00s | carol | **hypothesis** ✔ correct: db_url has a typo |",
    );
    expect(md.stdout).toContain(`| open | Alert on config changes | bob | 2026-02-01 | \`${action.id}\` |`);

    const missing = await opsdojo(home, ["gameday", "postmortem", "gd_nope"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("session gd_nope does not exist");
  });

  it("shows that a done action item made a later run of the scenario faster", async () => {
    const listed = json<{ items: { id: string }[] }>(
      await opsdojo(home, ["actions", "list", "--session", first, "--json"]),
    );
    const id = listed.items[0]?.id as string;
    const done = json<{ status: string; closed_at: string }>(
      await opsdojo(home, ["actions", "done", id, "--json"]),
    );
    expect(done.status).toBe("done");
    // The re-run happens after the item was done.
    const later = new Date(Date.parse(done.closed_at) + 86_400_000).toISOString();
    const second = await playedSession(
      home,
      later,
      "alice",
      [
        { name: "bob", role: "primary" },
        { name: "carol", role: "secondary" },
      ],
      [
        [0, "session.started", "auto", "session started"],
        [30, "fault.injected", "auto", "typo-db-url injected"],
        [31, "objective.failing", "auto", "orders-health failing", { data: { objective: "orders-health" } }],
        [50, "hypothesis", "human", "the database is down", { by: "bob", correct: false }],
        [60, "hypothesis", "human", "db_url typo again", { by: "carol", correct: true }],
        [120, "objective.passing", "auto", "orders-health passing", { data: { objective: "orders-health" } }],
        [125, "session.resolved", "auto", "resolved", { data: { since: iso(later, 120) } }],
      ],
    );
    const shown = json<{
      effect: {
        sessions_before: number;
        sessions_after: number;
        metrics: { metric: string; verdict: string; change_s?: number }[];
      };
    }>(await opsdojo(home, ["actions", "show", id, "--json"]));
    expect(shown.effect.sessions_before).toBe(1);
    expect(shown.effect.sessions_after).toBe(1);
    expect(shown.effect.metrics.find((m) => m.metric === "time_to_resolve_s")).toMatchObject({
      verdict: "faster",
      change_s: -570,
    });
    expect(shown.effect.metrics.find((m) => m.metric === "time_to_acknowledge_s")?.verdict).toBe(
      "not_enough_data",
    );

    const pm = json<{ effects: { action_item_id: string; summary: string }[] }>(
      await opsdojo(home, ["gameday", "postmortem", second, "--format", "json"]),
    );
    expect(pm.effects.map((e) => e.action_item_id)).toEqual([id]);
    expect(pm.effects[0]?.summary).toContain("time to resolve faster by 9m30s");
  });

  it("derives competence stages and the next GM from the drills; interviews do not count", async () => {
    json(await opsdojo(home, ["team", "areas", "broken-config", "config", "linux", "--json"]));
    const competence = json<{ items: { person: string; area: string; stage: string }[] }>(
      await opsdojo(home, ["team", "competence", "--area", "config", "--json"]),
    );
    const stage = Object.fromEntries(competence.items.map((c) => [c.person, c.stage]));
    // carol: correct unaided twice, but the first time slower than the team median (300 s against 165 s).
    // bob: one wrong hypothesis. alice: only ever GM.
    expect(stage).toEqual({
      alice: "unconsciously_incompetent",
      bob: "consciously_incompetent",
      carol: "consciously_competent",
    });

    const gm = json<{ name: string; candidates: { name: string; gm_count: number }[] }>(
      await opsdojo(home, ["team", "next-gm", "--json"]),
    );
    expect(gm.name).toBe("bob");
    expect(gm.candidates.map((c) => [c.name, c.gm_count])).toEqual([
      ["bob", 0],
      ["carol", 0],
      ["alice", 2],
    ]);

    // bob runs an interview: it is recorded, scored, and leaves the rotation as it was.
    const interviewSession = await playedSession(
      home,
      "2026-03-01T09:00:00.000Z",
      "bob",
      [{ name: "Dana", role: "primary" }],
      [[0, "session.started", "auto", "session started"]],
    );
    const created = json<{ id: string; excluded_from_metrics: boolean; interviewers: string[] }>(
      await opsdojo(home, [
        "team",
        "interview",
        "add",
        "--candidate",
        "Dana Lee",
        "--interviewer",
        "bob,carol",
        "--session",
        interviewSession,
        "--approach",
        "3",
        "--json",
      ]),
    );
    expect(created.excluded_from_metrics).toBe(true);
    const scored = json<{ rubric: Record<string, number>; score: number }>(
      await opsdojo(home, ["team", "interview", "score", created.id, "--resolution", "4", "--json"]),
    );
    expect(scored.rubric).toEqual({ approach: 3, resolution: 4 });
    expect(scored.score).toBe(0.83);
    const again = json<{ name: string }>(await opsdojo(home, ["team", "next-gm", "--json"]));
    expect(again.name).toBe("bob");

    const badScore = await opsdojo(home, ["team", "interview", "score", created.id, "--approach", "5"]);
    expect(badScore.code).toBe(64);
  });
});

describe("members and action items over HTTP", SPAWNING, () => {
  let server: Started;
  const auth = () => ({ authorization: `Bearer ${server.info.token}` });
  const headers = () => ({ ...auth(), "content-type": "application/json" });

  beforeAll(async () => {
    server = await startServe(await tempDir());
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("creates, reads, updates with If-Match and soft-deletes a member", async () => {
    const url = `${server.info.url}/api/members`;
    const created = await fetch(url, {
      method: "POST",
      headers: headers(),
      body: JSON.stringify({ name: "alice", class: "sysadmin", skills: ["linux"] }),
    });
    expect(created.status).toBe(201);
    const member = (await created.json()) as { id: string; etag: string; name: string };
    expect(created.headers.get("location")).toBe(`${url}/${member.id}`);

    const got = await fetch(`${url}/${member.id}`, { headers: headers() });
    expect(got.headers.get("etag")).toBe(`"${member.etag}"`);
    expect(await got.json()).toEqual(member);

    const stale = await fetch(`${url}/${member.id}`, {
      method: "PATCH",
      headers: { ...headers(), "if-match": '"stale"' },
      body: JSON.stringify({ skills: ["dns"] }),
    });
    expect(stale.status).toBe(412);
    const patched = await fetch(`${url}/${member.id}`, {
      method: "PATCH",
      headers: { ...headers(), "if-match": `"${member.etag}"` },
      body: JSON.stringify({ skills: ["dns", "linux"] }),
    });
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as { skills: string[] }).skills).toEqual(["dns", "linux"]);

    const filtered = (await (
      await fetch(`${url}?filter=${encodeURIComponent('class = "sysadmin"')}`, { headers: headers() })
    ).json()) as { items: { id: string }[] };
    expect(filtered.items.map((m) => m.id)).toEqual([member.id]);

    expect((await fetch(`${url}/${member.id}`, { method: "DELETE", headers: auth() })).status).toBe(204);
    const listed = (await (await fetch(url, { headers: headers() })).json()) as { items: unknown[] };
    expect(listed.items).toEqual([]);
    const deleted = (await (await fetch(`${url}/${member.id}`, { headers: headers() })).json()) as {
      deleted_at?: string;
    };
    expect(deleted.deleted_at).toBeDefined();
  });

  it("closes an action item and refuses an impossible due date", async () => {
    const url = `${server.info.url}/api/action-items`;
    const bad = await fetch(url, {
      method: "POST",
      headers: headers(),
      body: JSON.stringify({ title: "x", owner: "bob", due_date: "2026-02-31" }),
    });
    expect(bad.status).toBe(400);
    const created = (await (
      await fetch(url, {
        method: "POST",
        headers: headers(),
        body: JSON.stringify({ title: "Alert on disk", owner: "bob", scenario: "full-disk" }),
      })
    ).json()) as { id: string; status: string };
    expect(created.status).toBe("open");
    const done = (await (
      await fetch(`${url}/${created.id}`, {
        method: "PATCH",
        headers: headers(),
        body: JSON.stringify({ status: "done" }),
      })
    ).json()) as { status: string; closed_at?: string };
    expect(done.status).toBe("done");
    expect(done.closed_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    const open = (await (
      await fetch(`${url}?filter=${encodeURIComponent('status = "open"')}`, { headers: headers() })
    ).json()) as { items: unknown[] };
    expect(open.items).toEqual([]);
  });
});

describe("team balance right after a drill, as the README has it", SPAWNING, () => {
  it("takes players known only from drills, and an area carol has shown is no gap", async () => {
    const home = await tempDir();
    // Nobody was added with `team add`: bob and carol only played (gameday start --player …).
    const players = [
      { name: "bob", role: "primary" },
      { name: "carol", role: "secondary" },
    ];
    const one = "2026-01-10T10:00:00.000Z";
    await playedSession(home, one, "alice", players, [
      [0, "session.started", "auto", "session started"],
      [60, "fault.injected", "auto", "typo-db-url injected"],
      [360, "hypothesis", "human", "db_url has a typo", { by: "carol", correct: true }],
      [730, "session.resolved", "auto", "resolved", { data: { since: iso(one, 720) } }],
    ]);
    const two = "2026-01-20T10:00:00.000Z";
    await playedSession(home, two, "alice", players, [
      [0, "session.started", "auto", "session started"],
      [30, "fault.injected", "auto", "typo-db-url injected"],
      [50, "hypothesis", "human", "the database is down", { by: "bob", correct: false }],
      [60, "hypothesis", "human", "db_url typo again", { by: "carol", correct: true }],
      [125, "session.resolved", "auto", "resolved", { data: { since: iso(two, 120) } }],
    ]);
    json(await opsdojo(home, ["team", "areas", "broken-config", "config", "--json"]));

    const b = json<{
      party: string[];
      unregistered: string[];
      areas: { area: string; covered_by: string[]; shown_by: string[]; status: string }[];
    }>(await opsdojo(home, ["team", "balance", "bob", "carol", "--scenario", "broken-config", "--json"]));
    expect(b.party).toEqual(["bob", "carol"]);
    expect(b.unregistered).toEqual(["bob", "carol"]);
    expect(b.areas).toEqual([
      { area: "config", covered_by: [], shown_by: ["carol"], status: "bus_factor_one" },
    ]);

    const text = await opsdojo(home, ["team", "balance", "bob", "carol"]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain("note: bob, carol are known from drills only");

    const stranger = await opsdojo(home, ["team", "balance", "bob", "zed"]);
    expect(stranger.code).toBe(3);
    expect(stranger.stderr).toContain("not a member and never played a drill: zed");
  });
});
