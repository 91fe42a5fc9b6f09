import { writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { ManualClock } from "../../core/index.ts";
import { SessionRepository } from "../../gamedays/index.ts";
import { openStore } from "../../store/index.ts";
import { main } from "../main.ts";

// The gameday commands in-process through `main`, as the binary runs them: usage errors, exit
// codes and help text. Playing whole sessions is test/e2e/gameday.test.ts.

afterAll(removeTempDirs);

async function cli(args: string[], home?: string) {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    env: { OPSDOJO_HOME: home ?? (await tempDir()) },
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    colour: { stdout: false, stderr: false },
  });
  return { code, stdout, stderr };
}

describe("opsdojo gameday", () => {
  it("refuses what it cannot understand with exit 64 and says what it expects", async () => {
    const badKind = await cli(["gameday", "note", "gd_x", "text", "--kind", "rant"]);
    expect(badKind.code).toBe(64);
    expect(badKind.stderr).toContain(
      '--kind takes one of ack, hypothesis, action, mitigated, resolved, note, not "rant"',
    );
    const noVerdict = await cli(["gameday", "mark", "gd_x", "3"]);
    expect(noVerdict.code).toBe(64);
    expect(noVerdict.stderr).toContain("give exactly one of --correct or --wrong");
    const notASeq = await cli(["gameday", "mark", "gd_x", "three", "--correct"]);
    expect(notASeq.stderr).toContain('ENTRY is a timeline sequence number such as 7, not "three"');
    const noGm = await cli(["gameday", "start", "s.yaml"]);
    expect(noGm.code).toBe(64);
    expect(noGm.stderr).toContain("--gm NAME is required");
    const badPlayer = await cli(["gameday", "start", "s.yaml", "--gm", "alice", "--player", "bob"]);
    expect(badPlayer.stderr).toContain('--player takes NAME:ROLE (e.g. bob:primary), not "bob"');
  });

  it("says a session does not exist (exit 1), in JSON too", async () => {
    const home = await tempDir();
    const missing = await cli(["gameday", "note", "gd_nope", "hello", "--json"], home);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stderr)).toMatchObject({
      error: { message: "session gd_nope does not exist; `opsdojo gameday list` shows them", exit_code: 1 },
    });
    expect((await cli(["gameday", "restore", "gd_nope"], home)).code).toBe(1);
    expect((await cli(["gameday", "end", "gd_nope"], home)).code).toBe(1);
    const empty = await cli(["gameday", "list"], home);
    expect(empty.stdout).toBe("no game day sessions yet: opsdojo gameday start FILE --gm NAME starts one\n");
    expect(JSON.parse((await cli(["gameday", "metrics", "--json"], home)).stdout)).toEqual({
      sessions: [],
      team: expect.objectContaining({ sessions: 0 }),
      by_scenario: {},
      by_person: {},
    });
  });

  it("hands release to a running session only for its own injects and hints, and reports sessions left open", async () => {
    const home = await tempDir();
    const store = await openStore({ home });
    // A session whose process took a lease long ago and never renewed it: a crash.
    const clock = new ManualClock("2020-01-01T00:00:00.000Z");
    const id = await new SessionRepository(store, clock).create({
      scenario: "s",
      title: "S",
      file: "s.yaml",
      source:
        "opsdojo: scenario/v1\nname: s\ntimebox: 1m\nbrief: b\nfaults:\n  - { name: f, at: 0s, steps: [{ name: n, uses: noop }] }\nhints:\n  - { at: 30s, text: look }\nobjectives:\n  - file: { path: /tmp }\n",
      gm: "alice",
      players: [],
      owner: "elsewhere:1",
      leaseMs: 30_000,
      faults: [],
    });
    await store.close();
    const listed = await cli(["gameday", "list"], home);
    expect(listed.stderr).toContain(
      `warning: game day session ${id} was left open by a process that is gone; \`opsdojo gameday restore ${id}\` undoes its faults`,
    );
    expect(listed.stdout).toContain("interrupted");
    const release = await cli(["gameday", "release", id, "hint-1"], home);
    expect(release.code).toBe(1);
    expect(release.stderr).toContain(
      `session ${id} is interrupted; only a running session releases injects and hints`,
    );
    const end = await cli(["gameday", "end", id], home);
    expect(end.code).toBe(1);
    expect(end.stderr).toContain(`\`opsdojo gameday restore ${id}\` undoes its faults`);
    const restored = await cli(["gameday", "restore", id, "--json"], home);
    expect(restored.code).toBe(0);
    expect(JSON.parse(restored.stdout)).toMatchObject({
      status: "ended",
      end_reason: "interrupted",
      clean_restore: true,
    });
    expect(restored.stderr).toBe("");
  });

  it("leaves a release for a running session, and refuses an item its scenario does not have", async () => {
    const home = await tempDir();
    const store = await openStore({ home });
    const repo = new SessionRepository(store, new ManualClock(new Date()));
    const id = await repo.create({
      scenario: "s",
      title: "S",
      file: "s.yaml",
      source:
        "opsdojo: scenario/v1\nname: s\ntimebox: 1m\nbrief: b\nfaults:\n  - { name: f, at: 0s, steps: [{ name: n, uses: noop }] }\ninjects:\n  - { name: ceo, at: 10s, text: hi }\nhints:\n  - { at: 30s, text: look }\nobjectives:\n  - file: { path: /tmp }\n",
      gm: "alice",
      players: [],
      // This very process holds the lease: the session is alive.
      owner: `${hostname()}:${process.pid}`,
      leaseMs: 3_600_000,
      faults: [],
    });
    const unknown = await cli(["gameday", "release", id, "f"], home);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('the scenario has no inject or hint "f"; it has ceo, hint-1');
    const released = await cli(["gameday", "release", id, "ceo", "--by", "alice", "--json"], home);
    expect(released.code).toBe(0);
    expect(await repo.pendingCommands(id)).toMatchObject([{ type: "release", item: "ceo", by: "alice" }]);
    expect((await cli(["gameday", "end", id, "--resolved"], home)).code).toBe(0);
    expect((await repo.pendingCommands(id)).at(-1)).toMatchObject({ type: "end", resolved: true });
    await store.close();
  });

  it("start says the session id as soon as the session starts, so players can use it", async () => {
    const home = await tempDir();
    const file = join(home, "s.yaml");
    await writeFile(
      file,
      "opsdojo: scenario/v1\nname: s\ntimebox: 10m\nbrief: b\nfaults:\n  - { name: f, at: 0s, steps: [{ name: n, uses: noop }] }\nobjectives:\n  - file: { path: /tmp }\n",
    );
    let status = "";
    let ended: Promise<{ code: number }> | undefined;
    let stdout = "";
    const code = await main(["gameday", "start", file, "--gm", "alice", "--poll", "100ms"], {
      env: { OPSDOJO_HOME: home },
      stdout: (t) => {
        stdout += t;
      },
      stderr: () => {},
      colour: { stdout: false, stderr: false },
      status: {
        tty: false,
        colour: false,
        columns: 80,
        write: (t) => {
          status += t;
          // The first thing said names the session: end it with that id, as a GM would.
          const id = /^session (gd_\w+) started \(GM alice\)/.exec(status)?.[1];
          if (id !== undefined && ended === undefined)
            ended = cli(["gameday", "end", id, "--by", "alice"], home);
        },
      },
    });
    expect(ended).toBeDefined();
    expect((await ended)?.code).toBe(0);
    expect(status.split("\n")[0]).toMatch(
      /^session gd_\w+ started \(GM alice\): `opsdojo gameday timeline gd_\w+ --follow` in another terminal; Ctrl-C or `opsdojo gameday end gd_\w+` ends it$/,
    );
    expect(stdout).toContain("ended");
    expect(code).not.toBe(64);
  });

  it("documents each subcommand with its exit codes and an example", async () => {
    const help = await cli(["gameday", "note", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatchInlineSnapshot(`
      "Usage: opsdojo gameday note [options] <session> <text>

      write an entry on a session's timeline (ack, hypothesis, action, mitigated, resolved, note)

      Arguments:
        session        session id (gd_…)
        text           what happened, what you think, what you did

      Options:
        --kind <kind>  one of ack, hypothesis, action, mitigated, resolved, note (default: "note")
        --by <name>    who writes it
        --json         print machine-readable JSON
        -h, --help     show help

      Exit codes: 0 written, 1 no such session, 64 usage.

      Example:
        opsdojo gameday note gd_01j… "app-1 returns 500 on /health" --kind ack --by bob

      "
    `);
    for (const sub of [
      "plan",
      "start",
      "mark",
      "release",
      "end",
      "timeline",
      "list",
      "show",
      "restore",
      "metrics",
    ]) {
      const text = (await cli(["gameday", sub, "--help"])).stdout;
      expect(text, sub).toContain("Exit codes:");
      expect(text, sub).toContain("Example");
    }
  });
});
