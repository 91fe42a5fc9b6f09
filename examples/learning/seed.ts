// The data of the learning demo, written into an opsdojo store with opsdojo's own classes:
// a team of 8, 20 drills over the last 12 weeks (timelines with hypotheses, hints, retros),
// action items, 5 services, 12 runs of a small file operation (each saying who started it),
// 10 learning events and 2 survey rounds answered anonymously; then what the wall shows besides
// (seed-wall.ts).
// Run by demo.mjs (`node examples/learning/demo.mjs [HOME]`); deterministic (seeded).
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { CursorCodec } from "../../src/api/index.ts";
import { ManualClock, randomSecret, seededRandom } from "../../src/core/index.ts";
import { Directory } from "../../src/directory/index.ts";
import {
  ActionItems,
  appendEntry,
  Interviews,
  Members,
  markHypothesis,
  RetroEntries,
  SessionRepository,
  setScenarioAreas,
} from "../../src/gamedays/index.ts";
import { LearningEvents, Surveys, setServiceAreas } from "../../src/learning/index.ts";
import { registerOperation, runOperation } from "../../src/operations/index.ts";
import { openStore, settingOrCreate } from "../../src/store/index.ts";
import { seedWall } from "./seed-wall.ts";

const DAY = 86_400_000;
const home = process.argv[2];
if (!home) throw new Error("usage: seed.ts HOME");
const now = Date.parse(process.argv[3] ?? new Date().toISOString());
const at = (daysAgo: number, minutes = 0) => new Date(now - daysAgo * DAY + minutes * 60_000);
const random = seededRandom("opsdojo-learning-demo");
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;

const TEAM = [
  { name: "ann", class: "sysadmin", skills: ["linux", "networking"] },
  { name: "bo", class: "developer", skills: ["postgres"] },
  { name: "cy", class: "developer", skills: ["kafka", "java"] },
  { name: "dee", class: "specialist", skills: ["postgres", "storage"] },
  { name: "eli", class: "generalist", skills: ["linux"] },
  { name: "fay", class: "sysadmin", skills: ["dns", "networking"] },
  { name: "gus", class: "specialist", skills: ["security", "vault"] },
  { name: "hal", class: "developer", skills: ["java"] },
] as const;
const SCENARIOS: Record<string, string[]> = {
  "disk-full": ["linux", "storage"],
  "slow-queries": ["postgres"],
  "dns-outage": ["dns", "networking"],
  "broker-down": ["kafka"],
  "cert-expiry": ["networking", "security"],
};

const store = await openStore({ home });
try {
  const clock = new ManualClock(at(90).toISOString());
  const key = await settingOrCreate(store.db, "cursor_signing_key", () => randomSecret(32));
  const core = { store, clock, cursors: new CursorCodec(key) };
  const members = new Members(core);
  for (const m of TEAM) await members.create({ name: m.name, class: m.class, skills: [...m.skills] });
  for (const [scenario, areas] of Object.entries(SCENARIOS))
    await setScenarioAreas(store, scenario, areas, clock.now());

  // 20 drills, one every 4 days or so; the GM rotates through six of the eight.
  const repo = new SessionRepository(store, clock);
  const retro = new RetroEntries(core);
  const names = TEAM.map((m) => m.name);
  const gms = ["ann", "bo", "cy", "dee", "fay", "eli"];
  const sessions: Array<{ id: string; scenario: string; daysAgo: number }> = [];
  for (let i = 0; i < 20; i++) {
    const daysAgo = 84 - i * 4;
    const scenario = Object.keys(SCENARIOS)[i % 5] as string;
    const gm = gms[i % gms.length] as string;
    const others = names.filter((n) => n !== gm);
    const primary = others[(i * 3) % others.length] as string;
    const secondary = others[(i * 3 + 2) % others.length] as string;
    clock.set(at(daysAgo));
    const id = await repo.create({
      scenario,
      title: scenario,
      file: `examples/gamedays/${scenario}.yaml`,
      source: "",
      gm,
      players: [
        { name: primary, role: "primary" },
        { name: secondary, role: "secondary" },
        ...(i % 4 === 0 ? [{ name: "hal", role: "observer" }] : []),
      ],
      owner: "demo",
      leaseMs: 1000,
      faults: [],
    });
    const injected = at(daysAgo, 1);
    await store.db
      .updateTable("gameday_sessions")
      .set({
        status: "ended",
        fault_injected_at: injected.toISOString(),
        ended_at: at(daysAgo, 50).toISOString(),
        end_reason: "resolved",
        lease_owner: null,
        lease_expires_at: null,
      })
      .where("id", "=", id)
      .execute();
    // The timeline a played drill has (fault.injected … session.resolved), so the drills have
    // times to detect and resolve; the team gets a little faster over the 12 weeks.
    await appendEntry(store.db, clock, id, {
      kind: "fault.injected",
      source: "auto",
      text: scenario,
      at: injected,
    });
    clock.set(at(daysAgo, 2 + ((i * 5) % 3) + Math.floor((19 - i) / 7)));
    await appendEntry(store.db, clock, id, { kind: "ack", source: "human", by: primary, text: "looking" });
    const hypotheses = 1 + Math.floor(random() * 4);
    for (let h = 0; h < hypotheses; h++) {
      clock.set(at(daysAgo, 6 + h * 4));
      if (h === 1 && random() < 0.5)
        await appendEntry(store.db, clock, id, { kind: "hint.released", source: "auto", text: "hint" });
      const by = h % 2 === 0 ? primary : secondary;
      const e = await appendEntry(store.db, clock, id, {
        kind: "hypothesis",
        source: "human",
        by,
        text: `guess ${h + 1}`,
      });
      await markHypothesis(store.db, id, e.seq, h === hypotheses - 1);
    }
    const resolvedAt = at(daysAgo, 20 + (19 - i) + ((i * 7) % 9));
    clock.set(resolvedAt);
    await appendEntry(store.db, clock, id, { kind: "resolved", source: "human", by: primary, text: "fixed" });
    await appendEntry(store.db, clock, id, {
      kind: "session.resolved",
      source: "auto",
      text: "every objective passes again",
      data: { since: resolvedAt.toISOString() },
    });
    if (i % 3 !== 2) {
      await retro.add(id, "well", "we split the work early", gm);
      await retro.add(id, pick(["wrong", "lucky"]), "the dashboard lied about the disk", primary);
    }
    sessions.push({ id, scenario, daysAgo });
  }

  // Action items from some drills: most done (a few of them re-run after), some open, one late.
  const items = new ActionItems(core);
  // What each of those drills taught (drills 1, 4, 7, …: disk-full, broker-down, slow-queries, …).
  const FOLLOW_UPS = [
    "Alert when the data volume passes 80 %",
    "Runbook: a broker that will not rejoin",
    "Index orders by created_at",
    "Check certificate expiry in the pipeline",
    "A second resolver in every subnet",
    "Rotate the orders logs daily",
    "Page the broker's owner, not the whole team",
  ];
  for (const [n, s] of sessions.filter((_, i) => i % 3 === 0).entries()) {
    clock.set(at(s.daysAgo, 60));
    const item = await items.create({
      title: FOLLOW_UPS[n] ?? `follow-up ${n + 1} of ${s.scenario}`,
      owner: pick(names),
      scenario: s.scenario,
      session_id: s.id,
      ...(n === 5
        ? {
            due_date: at(s.daysAgo - 7)
              .toISOString()
              .slice(0, 10),
          }
        : {}),
    });
    if (n < 5) {
      clock.set(at(Math.max(1, s.daysAgo - 6 - n * 3)));
      await items.update(item.id, { status: "done" });
    }
  }

  // Services, two of them checked against the conventions.
  clock.set(at(60));
  const directory = new Directory(core);
  const services = [
    { name: "orders", owner: "bo", areas: ["postgres", "linux"], fail: [] as string[] },
    { name: "web", owner: "ann, eli", areas: ["linux", "networking"], fail: ["CB-07"] },
    { name: "broker", owner: "cy", areas: ["kafka"] },
    { name: "ledger", owner: "payments-team", areas: ["java", "postgres"] },
    // Only gus knows Vault: the Brent report names him.
    { name: "secrets", owner: "gus", areas: ["vault"] },
  ];
  for (const s of services) {
    const svc = await directory.create({ name: s.name, owner: s.owner });
    await setServiceAreas(store, s.name, s.areas, clock.now());
    if (s.fail)
      await directory.recordConformance(svc.id, {
        checked_at: clock.now().toISOString(),
        pass: 28 - s.fail.length,
        fail: s.fail.length,
        skip: 2,
        must_failures: s.fail,
        instances: [],
      });
  }

  // Runs: a small file operation (a config written on the service's target, under HOME), run for
  // real by the engine, each recording who started it. Six of the eight start runs; a CI token
  // starts one too (named in the evidence, not counted as a person). Nobody but gus touches
  // secrets, so the Brent report still names him.
  const files = join(home, "demo-files");
  for (const target of ["orders", "web", "broker", "ledger"])
    await mkdir(join(files, target), { recursive: true });
  const starters: Array<[daysAgo: number, service: string, by: string]> = [
    [58, "orders", "bo"],
    [52, "web", "ann"],
    [47, "broker", "cy"],
    [41, "orders", "dee"],
    [36, "web", "eli"],
    [30, "ledger", "bo"],
    [25, "web", "fay"],
    [19, "orders", "eli"],
    [14, "broker", "cy"],
    [9, "ledger", "dee"],
    [5, "web", "ann"],
    [2, "orders", "ci"],
  ];
  let runs = 0;
  for (const [daysAgo, service, by] of starters) {
    clock.set(at(daysAgo));
    const operation = await registerOperation(
      store,
      clock,
      `opsdojo: operation/v1
name: roll-${service}-config
targets:
  - { name: ${service}, vars: { dir: ${JSON.stringify(join(files, service))} } }
steps:
  - name: write-config
    uses: file.write
    with: { path: "\${target.dir}/app.conf", content: "release=${daysAgo}\\n" }
`,
      `roll-${service}-config.yaml`,
    );
    const result = await runOperation(
      { operation: operation.operation, operationId: operation.id, params: {}, startedBy: by },
      { store, clock },
    );
    if (result.status !== "succeeded") throw new Error(`the demo run on ${service} ended ${result.status}`);
    runs++;
  }

  // 10 learning events.
  const events = new LearningEvents(core);
  const topics: Array<
    [kind: "brownbag" | "kata" | "dojo" | "hackday" | "popup-class", topic: string, areas: string[]]
  > = [
    ["brownbag", "How our Kafka consumers rebalance", ["kafka"]],
    ["kata", "Reading a slow query plan", ["postgres"]],
    ["dojo", "Filling a disk and getting it back", ["linux", "storage"]],
    ["popup-class", "dig, and what it tells you", ["dns"]],
    ["hackday", "Alerts that say what to do", []],
    ["kata", "Rotating a certificate by hand", ["security"]],
    ["brownbag", "What the load balancer does on a 502", ["networking"]],
    ["dojo", "Killing a replica on purpose", ["postgres"]],
    ["popup-class", "strace in ten minutes", ["linux"]],
    ["kata", "Replaying a dead-letter queue", ["kafka", "java"]],
  ];
  const teachers = ["cy", "dee", "ann", "fay", "hal", "gus", "ann", "bo", "eli", "cy"];
  for (const [i, [kind, topic, skills]] of topics.entries()) {
    clock.set(at(80 - i * 8));
    const facilitator = teachers[i] as string;
    const participants = names.filter((n) => n !== facilitator && random() < 0.45);
    await events.create({
      kind,
      topic,
      held_on: at(80 - i * 8)
        .toISOString()
        .slice(0, 10),
      skills,
      facilitator,
      participants,
      materials_url: `https://wiki.example/learning/${i + 1}`,
    });
  }

  // Two interviews: the team learns by interviewing too.
  const interviews = new Interviews(core);
  for (const [daysAgo, candidate] of [
    [40, "Riley"],
    [12, "Sam"],
  ] as const) {
    clock.set(at(daysAgo));
    await interviews.create({ candidate, interviewers: ["ann", "dee"], scenario: "disk-full" });
  }

  // Two survey rounds: the team rates itself a little above its record, then closer to it.
  const surveys = new Surveys(store, clock);
  const round = async (name: string, daysAgo: number, closedAfter: number | undefined, lean: number) => {
    clock.set(at(daysAgo));
    const made = await surveys.start({ round: name, invitations: { ops: 4, dev: 4 } });
    const survey = (await surveys.get()).survey;
    for (const c of made.codes.slice(0, 7 + (closedAfter === undefined ? 1 : 0))) {
      const answers: Record<string, number> = {};
      for (const d of survey.dimensions)
        for (const item of d.items)
          answers[item.id] = Math.min(6, Math.max(1, Math.round(lean + random() * 2 - 0.5)));
      await surveys.respond(c.code, answers);
    }
    if (closedAfter !== undefined) {
      clock.set(at(daysAgo - closedAfter));
      await surveys.close(made.round.id);
    }
    return made.round.name;
  };
  const first = await round("round-1", 50, 14, 4.3);
  const second = await round("round-2", 3, undefined, 3.7);
  const wall = await seedWall(core, home, at);
  console.log(
    JSON.stringify({
      home,
      members: TEAM.length,
      drills: sessions.length,
      learning_events: topics.length,
      services: services.length,
      runs,
      rounds: [first, second],
      wall,
    }),
  );
} finally {
  await store.close();
}
