import { afterAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { ManualClock } from "../../core/index.ts";
import { SessionRepository } from "../../gamedays/index.ts";
import { serve } from "../../server/index.ts";
import { openStore } from "../../store/index.ts";
import { main } from "../main.ts";
import { relative } from "./gameday-plans.ts";

// `gameday plan --at`, `plans` and `cancel-plan` in-process through `main`, on a real store.

afterAll(removeTempDirs);

async function cli(args: string[], home: string) {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    env: { OPSDOJO_HOME: home },
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

/** A home where fay is a member and has played broken-config as its GM. */
async function home(): Promise<string> {
  const dir = await tempDir();
  expect((await cli(["team", "add", "fay", "--class", "generalist"], dir)).code).toBe(0);
  const store = await openStore({ home: dir });
  try {
    await new SessionRepository(store, new ManualClock("2026-01-05T10:00:00.000Z")).create({
      scenario: "broken-config",
      title: "Broken config",
      file: "s.yaml",
      source: "",
      gm: "fay",
      players: [],
      owner: "test",
      leaseMs: 1000,
      faults: [],
    });
  } finally {
    await store.close();
  }
  return dir;
}

describe("opsdojo gameday plan --at, plans, cancel-plan", () => {
  it("says what is wrong: the time format, an unknown scenario, a time past, options without --at", async () => {
    const dir = await home();
    const badTime = await cli(["gameday", "plan", "broken-config", "--at", "next tuesday"], dir);
    expect(badTime.code).toBe(64);
    expect(badTime.stderr).toContain('--at "next tuesday" is not a time; use "YYYY-MM-DD HH:MM"');
    const unknown = await cli(["gameday", "plan", "nope", "--at", "2099-12-10 14:00"], dir);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('no scenario named "nope" is registered or was played here');
    const past = await cli(["gameday", "plan", "broken-config", "--at", "2020-01-01 10:00"], dir);
    expect(past.code).toBe(3);
    expect(past.stderr).toContain("is in the past");
    const stranger = await cli(
      ["gameday", "plan", "broken-config", "--at", "2099-12-10 14:00", "--gm", "zed"],
      dir,
    );
    expect(stranger.stderr).toContain('"zed" is not a team member');
    const noAt = await cli(["gameday", "plan", "broken-config", "--gm", "fay"], dir);
    expect(noAt.code).toBe(64);
    expect(noAt.stderr).toContain("--gm goes with --at");
    expect(JSON.parse((await cli(["gameday", "plans", "--json"], dir)).stdout)).toEqual({ items: [] });
  });

  it("plans with the rotation's GM, lists upcoming first, and cancels", async () => {
    const dir = await home();
    const made = await cli(
      [
        "gameday",
        "plan",
        "broken-config",
        "--at",
        "2099-12-10 14:00",
        "--player",
        "fay:primary",
        "--note",
        "room 2",
        "--json",
      ],
      dir,
    );
    expect(made.code).toBe(0);
    const plan = JSON.parse(made.stdout) as { id: string; at: string; gm_suggested?: { name?: string } };
    expect(plan).toMatchObject({
      scenario: "broken-config",
      at: new Date(2099, 11, 10, 14, 0).toISOString(),
      status: "planned",
      players: [{ name: "fay", role: "primary" }],
      note: "room 2",
    });
    expect(plan.gm_suggested?.name).toBe("fay");
    const later = await cli(
      ["gameday", "plan", "broken-config", "--at", "2099-12-20T10:00:00Z", "--gm", "fay"],
      dir,
    );
    expect(later.stdout).toContain("planned broken-config for ");
    const listed = await cli(["gameday", "plans"], dir);
    const rows = listed.stdout.trim().split("\n");
    expect(rows[0]).toMatch(/^WHEN +SCENARIO +GM +PLAYERS +STATUS +ID$/);
    expect(rows[1]).toContain("2099-12-10 14:00");
    expect(rows[1]).toContain("fay (suggested)");
    expect(rows[2]).toMatch(/ fay +- +planned /);
    const cancelled = await cli(["gameday", "cancel-plan", plan.id], dir);
    expect(cancelled.code).toBe(0);
    expect(cancelled.stdout).toContain(`cancelled broken-config of 2099-12-10 14:00 (${plan.id})`);
    const upcoming = JSON.parse((await cli(["gameday", "plans", "--json"], dir)).stdout) as {
      items: { id: string }[];
    };
    expect(upcoming.items.map((p) => p.id)).not.toContain(plan.id);
    const all = JSON.parse((await cli(["gameday", "plans", "--all", "--json"], dir)).stdout) as {
      items: { id: string; status: string }[];
    };
    expect(all.items.map((p) => p.status)).toEqual(["planned", "cancelled"]);
    const missing = await cli(["gameday", "cancel-plan", "gdp_nope"], dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("planned game day gdp_nope does not exist");
  });

  it("plans, lists and cancels on a server with --server, as on the store", async () => {
    const dir = await home();
    const store = await openStore({ home: dir });
    const server = await serve({ store, host: "127.0.0.1", port: 0, services: ["gamedays"], logger: false });
    try {
      // The CLI's own home is empty: everything it shows comes from the server.
      const elsewhere = await tempDir();
      const remote = (args: string[]) =>
        cli(["--server", server.url, "--token", server.login.token, "gameday", ...args], elsewhere);
      const made = await remote([
        "plan",
        "broken-config",
        "--at",
        "2099-12-10T14:00:00Z",
        "--gm",
        "fay",
        "--json",
      ]);
      expect(made.code, made.stderr).toBe(0);
      const id = (JSON.parse(made.stdout) as { id: string }).id;
      const unknown = await remote(["plan", "nope", "--at", "2099-12-10T14:00:00Z"]);
      expect(unknown.code).toBe(3);
      expect(unknown.stderr).toContain('no scenario named "nope"');
      const plansOut = await remote(["plans", "--json"]);
      expect(plansOut.stderr).toBe("");
      const listed = JSON.parse(plansOut.stdout) as { items: { id: string }[] };
      expect(listed.items.map((p) => p.id)).toEqual([id]);
      expect((await remote(["cancel-plan", id])).code).toBe(0);
      expect((await cli(["gameday", "plans", "--all", "--json"], dir)).stdout).toContain(
        '"status": "cancelled"',
      );
    } finally {
      await server.close();
      await store.close();
    }
  }, 120_000);
});

describe("how far off a plan is", () => {
  it("rounds as the wall does", () => {
    const now = new Date("2026-12-01T09:00:00Z");
    expect(relative("2026-12-04T09:00:00Z", now)).toBe("in 3 days");
    expect(relative("2026-12-02T09:00:00Z", now)).toBe("in 24 h");
    expect(relative("2026-12-02T23:00:00Z", now)).toBe("in 2 days");
    expect(relative("2026-12-01T09:20:00Z", now)).toBe("in 20 min");
    expect(relative("2026-12-01T09:00:20Z", now)).toBe("now");
    expect(relative("2026-12-01T07:00:00Z", now)).toBe("2 h ago");
  });
});
