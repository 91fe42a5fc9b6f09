import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { ManualClock } from "../../core/index.ts";
import { appendEntry, SessionRepository } from "../../gamedays/index.ts";
import { type RunningServer, serve } from "../../server/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { writeMark, writeNote } from "../commands/gameday-notes.ts";
import { localPostmortems, writePostmortem } from "../commands/gameday-postmortem.ts";
import { listSessions, showSession, showTimeline } from "../commands/gameday-timeline.ts";
import { withTeam } from "../commands/team-common.ts";
import type { Session } from "../context.ts";
import { describeFailure } from "../exit-codes.ts";
import { type CommandResult, styleFor } from "../output.ts";
import type { GamedaysBackend } from "./backend.ts";
import { openLocalGamedays } from "./local-backend.ts";
import { remoteGamedays } from "./remote-backend.ts";

/**
 * The contract of the gameday backends: on the same data — one store, read directly and through
 * a real server on loopback serving it — `gameday list`, `show`, `timeline`, `note`, `mark` and
 * `postmortem` print the same.
 */
let store: Store;
let server: RunningServer;
let home: string;
let sessionId: string;
let firstId: string;
const plain = styleFor(false);

beforeAll(async () => {
  home = await tempDir();
  store = await openStore({ home });
  const clock = new ManualClock("2026-11-30T10:00:00.000Z");
  const repo = new SessionRepository(store, clock);
  for (const scenario of ["broken-config", "slow-db"]) {
    sessionId = await repo.create({
      scenario,
      title: `The ${scenario} drill`,
      file: `/srv/${scenario}.yaml`,
      source: "opsdojo: scenario/v1",
      gm: "alice",
      players: [{ name: "bob", role: "primary" }],
      owner: "another-host:1",
      leaseMs: 3_600_000,
      faults: [],
    });
    firstId ??= sessionId;
    clock.advance(1000);
    await appendEntry(store.db, clock, sessionId, {
      kind: "ack",
      source: "human",
      by: "bob",
      text: "seen it",
    });
    clock.advance(2500);
    await appendEntry(store.db, clock, sessionId, {
      kind: "hypothesis",
      source: "human",
      by: "bob",
      text: "the config is wrong",
    });
    clock.advance(500);
    await repo.setStatus(sessionId, "ended", { end_reason: "gm", ended_at: clock.now().toISOString() });
  }
  server = await serve({ store, host: "127.0.0.1", port: 0, services: ["gamedays"], logger: false });
}, 120_000);
afterAll(async () => {
  await server?.close();
  await store?.close();
  await removeTempDirs();
});

const remoteOptions = () => ({ url: server.url, token: server.login.token, warn: () => {} });

async function both<T>(task: (g: GamedaysBackend) => Promise<T>): Promise<[T, T]> {
  const session: Session = { env: { OPSDOJO_HOME: home }, warnings: [] };
  const local = await openLocalGamedays(session);
  const remote = remoteGamedays(remoteOptions());
  try {
    return [await task(local), await task(remote)];
  } finally {
    await local.close();
  }
}

const printed = (r: CommandResult) => ({ json: JSON.parse(JSON.stringify(r.json)), text: r.text(plain) });

describe("gameday backends: local store and server", () => {
  it("list, show and timeline print the same on both", async () => {
    for (const [name, task] of [
      ["list", (g: GamedaysBackend) => listSessions(g, {})],
      ["list --scenario", (g: GamedaysBackend) => listSessions(g, { scenario: "slow-db" })],
      ["show", (g: GamedaysBackend) => showSession(g, sessionId)],
      ["timeline", (g: GamedaysBackend) => showTimeline(g, sessionId)],
    ] as const) {
      const [local, remote] = await both(task);
      expect(printed(remote), name).toEqual(printed(local));
    }
    const [list] = await both((g) => listSessions(g, { scenario: "slow-db" }));
    expect((list.json as { items: { id: string }[] }).items.map((s) => s.id)).toEqual([sessionId]);
    const [timeline] = await both((g) => showTimeline(g, sessionId));
    expect(timeline.text(plain)).toContain("the config is wrong");
  });

  it("entries after a sequence number, and a session that does not exist, read the same", async () => {
    const [local, remote] = await both((g) => g.entries(sessionId, 1));
    expect(remote).toEqual(local);
    expect(local.map((e) => e.seq)).toEqual([2]);
    const [a, b] = await both((g) =>
      g.get("gd_01nothing").then(
        () => undefined,
        (error: unknown) => describeFailure(error),
      ),
    );
    expect(b).toEqual(a);
    expect(a?.message).toContain("gd_01nothing");
  });

  it("note writes the same entry on both (its own sequence number and instant each)", async () => {
    const [local, remote] = await both((g) => writeNote(g, firstId, "action", "rolled back app-1", "bob"));
    const l = printed(local);
    const r = printed(remote);
    const seqOf = (x: typeof l) => (x.json as { seq: number }).seq;
    expect(seqOf(r)).toBe(seqOf(l) + 1);
    const atOf = (x: typeof l) => (x.json as { at: string }).at;
    const same = (x: typeof l) => ({
      json: { ...(x.json as object), seq: 0, at: "AT" },
      text: x.text.replace(`#${seqOf(x)} `, "#N ").replace(atOf(x), "AT"),
    });
    expect(same(r)).toEqual(same(l));
    expect(l.text).toBe(`#${seqOf(l)} action at ${atOf(l)} by bob`);
    const [a, b] = await both((g) =>
      writeNote(g, "gd_01nothing", "note", "x", undefined).catch(describeFailure),
    );
    expect(b).toEqual(a);
  });

  it("mark prints the same verdict on both, and refuses the same entries the same way", async () => {
    for (const correct of [false, true]) {
      const [local, remote] = await both((g) => writeMark(g, firstId, 2, correct));
      expect(printed(remote)).toEqual(printed(local));
      expect(printed(local).text).toBe(
        `hypothesis #2 marked ${correct ? "correct" : "wrong"}: the config is wrong`,
      );
    }
    for (const [seq, words] of [
      [1, "entry 1 is a ack, not a hypothesis"],
      [99, `session ${firstId} has no timeline entry 99`],
    ] as const) {
      const [a, b] = await both((g) =>
        writeMark(g, firstId, seq, true).then(() => undefined, describeFailure),
      );
      expect(b, String(seq)).toEqual(a);
      expect(a?.message).toContain(words);
    }
    const [a, b] = await both((g) =>
      writeMark(g, "gd_01nothing", 1, true).then(() => undefined, describeFailure),
    );
    expect(b).toEqual(a);
    expect(a?.message).toContain("gd_01nothing");
  });

  it("postmortem prints the same Markdown and JSON from the store and from the server", async () => {
    const session: Session = { env: { OPSDOJO_HOME: home }, warnings: [] };
    const remote = remoteGamedays(remoteOptions());
    for (const id of [firstId, sessionId]) {
      for (const format of ["md", "json"]) {
        const local = await withTeam(session, {}, "opsdojo gameday postmortem", (ctx) =>
          writePostmortem(localPostmortems(ctx), id, { format }),
        );
        const far = await writePostmortem(remote, id, { format });
        expect(far.text(plain), `${id} ${format}`).toBe(local.text(plain));
        expect(far.raw).toBe(local.raw);
      }
    }
    const local = await withTeam(session, {}, "opsdojo gameday postmortem", (ctx) =>
      writePostmortem(localPostmortems(ctx), "gd_01nothing", {}).then(() => undefined, describeFailure),
    );
    const far = await writePostmortem(remote, "gd_01nothing", {}).then(() => undefined, describeFailure);
    expect(far).toEqual(local);
  });
});
