import { afterAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
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
      by_scenario: {},
      by_person: {},
    });
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
