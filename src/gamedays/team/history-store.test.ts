import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { CursorCodec } from "../../api/index.ts";
import { ManualClock } from "../../core/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { SessionRepository } from "../session/index.ts";
import { appendEntry, markHypothesis } from "../timeline/index.ts";
import { loadDrillHistory, setScenarioAreas } from "./history-store.ts";
import { Interviews, Members } from "./members.ts";

afterAll(removeTempDirs);

describe("drill history from the game-day tables", () => {
  let store: Store;
  const clock = new ManualClock("2026-01-10T10:00:00.000Z");
  const core = () => ({ store, clock, cursors: new CursorCodec("k".repeat(32)) });

  beforeEach(async () => {
    store = await openStore({ home: await tempDir() });
  });
  afterEach(async () => {
    await store.close();
  });

  async function session(gm: string, players: { name: string; role: string }[]): Promise<string> {
    const repo = new SessionRepository(store, clock);
    return repo.create({
      scenario: "broken-config",
      title: "t",
      file: "f.yaml",
      source: "",
      gm,
      players,
      owner: "test",
      leaseMs: 1000,
      faults: [],
    });
  }

  it("reads players, people's entries and hint releases, the scenario's areas, and interviews", async () => {
    const id = await session("alice", [{ name: "bob", role: "primary" }]);
    await new SessionRepository(store, clock).noteInjection(id, "2026-01-10T10:01:00.000Z");
    await appendEntry(store.db, clock, id, { kind: "fault.injected", source: "auto", text: "in" });
    await appendEntry(store.db, clock, id, {
      kind: "hint.released",
      source: "auto",
      text: "look at the config",
    });
    const h = await appendEntry(store.db, clock, id, {
      kind: "hypothesis",
      source: "human",
      by: "bob",
      text: "config",
    });
    await markHypothesis(store.db, id, h.seq, true);
    await setScenarioAreas(store, "broken-config", ["linux", "config", "linux"], clock.now());
    const interviewed = await session("bob", [{ name: "dana", role: "primary" }]);
    await new Interviews(core()).create({
      candidate: "Dana",
      interviewers: ["bob"],
      session_id: interviewed,
    });

    const history = await loadDrillHistory(store);
    expect(history).toHaveLength(2);
    const [drill, interview] = history;
    expect(drill).toMatchObject({
      session_id: id,
      scenario: "broken-config",
      areas: ["config", "linux"],
      fault_injected_at: "2026-01-10T10:01:00.000Z",
      interview: false,
      participants: [
        { name: "alice", role: "gm" },
        { name: "bob", role: "primary" },
      ],
    });
    expect(drill?.entries.map((e) => [e.kind, e.by, e.correct])).toEqual([
      ["hint", undefined, undefined],
      ["hypothesis", "bob", true],
    ]);
    expect(interview?.interview).toBe(true);
  });

  it("is empty before any session", async () => {
    expect(await loadDrillHistory(store)).toEqual([]);
  });

  it("keeps member names unique among the living, also on undelete", async () => {
    const members = new Members(core());
    const first = await members.create({ name: "alice", class: "sysadmin" });
    await expect(members.create({ name: "alice", class: "developer" })).rejects.toThrow(/already exists/);
    await members.remove(first.id);
    const second = await members.create({
      name: "alice",
      class: "developer",
      skills: ["dns", "dns", "linux"],
    });
    expect(second.skills).toEqual(["dns", "linux"]);
    await expect(members.undelete(first.id)).rejects.toThrow(/already exists/);
    await expect(members.update(second.id, { skills: [] }, { ifMatch: '"old"' })).rejects.toThrow(/If-Match/);
    expect((await members.find("alice")).id).toBe(second.id);
  });
});
