import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { AuthorizeSecurityGroupIngressCommand } from "@aws-sdk/client-ec2";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { sdk } from "../../src/operations/providers/aws-state/net-test-support.ts";
import { useMoto } from "../support/moto.ts";
import { BIN, cleanEnv, opsdojo } from "../support/opsdojo-process.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";
import { until } from "../support/until.ts";

// examples/gamedays/closed-door played through the real `opsdojo gameday` commands against one
// moto_server (a new AWS account there per case): the fault revokes the web security group's port-80 rule,
// the objective turns red, and whether the players fix it or the GM ends the session, the rule
// is back afterwards and the session says clean_restore. Only the timings change (fault at 1 s,
// a timebox that is only a safety net); nothing asserts how long anything took.

const HERE = fileURLToPath(new URL("../../examples/gamedays/", import.meta.url));
interface World {
  group_id: string;
  target_group_arn: string;
  instances: string[];
}
interface AwsWorld {
  make(): Promise<World>;
  writeScenario(dir: string, world: World): Promise<string>;
  snapshot(world: World): Promise<{ rules: string[]; instances: string[]; targets: string[] }>;
}
const example = async () => (await import(join(HERE, "aws-world.mjs"))) as AwsWorld;

const moto = useMoto({ accountPerTest: true });
afterAll(removeTempDirs);

let world: World;
beforeEach(async () => {
  world = await (await example()).make();
});

const snapshot = async () => (await example()).snapshot(world);
const HTTP_RULE = "tcp 80-80 10.8.0.0/16";

async function play(): Promise<{ home: string; scenario: string }> {
  const home = await tempDir();
  const scenario = await (await example()).writeScenario(home, world);
  const text = (await readFile(scenario, "utf8"))
    .replace(/\n {4}at: 10s\n/, "\n    at: 1s\n")
    .replace(/timebox: \d+m/, "timebox: 1h")
    .replace(/stable_for: 10s/, "stable_for: 1s");
  await writeFile(scenario, text);
  return { home, scenario };
}

async function json<T>(home: string, args: string[]): Promise<T> {
  const result = await opsdojo(home, [...args, "--json"], { ...moto().env });
  if (result.code !== 0) throw new Error(`opsdojo ${args.join(" ")} exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

/** `gameday start … --json` in the background; resolves with its exit code and final JSON. */
function start(home: string, scenario: string) {
  const child = spawn(
    process.execPath,
    [
      BIN,
      "gameday",
      "start",
      scenario,
      "--gm",
      "alice",
      "--player",
      "bob:primary",
      "--poll",
      "200ms",
      "--json",
    ],
    { env: cleanEnv(home, { ...moto().env }) },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise<{ code: number | null; final: Record<string, unknown> }>((resolve, reject) =>
    child.once("exit", (code) => {
      try {
        resolve({ code, final: JSON.parse(stdout) as Record<string, unknown> });
      } catch {
        reject(new Error(`gameday start exited ${code} without JSON: ${stderr}`));
      }
    }),
  );
}

interface Entry {
  kind: string;
  text: string;
}

async function sessionOf(home: string, done: Promise<unknown>): Promise<string> {
  let ended: unknown;
  done.then(
    (r) => {
      ended = new Error(`gameday start ended before its session was seen: ${JSON.stringify(r)}`);
    },
    (error: unknown) => {
      ended = error;
    },
  );
  return until(
    async () => {
      if (ended !== undefined) throw ended;
      const list = await json<{ items: { id: string; status: string }[] }>(home, ["gameday", "list"]);
      return list.items.find((s) => s.status === "running")?.id;
    },
    "the session to start",
    { intervalMs: 200, timeoutMs: 180_000 },
  );
}

async function objectiveFailing(home: string, id: string): Promise<Entry> {
  return until(
    async () =>
      (await json<{ items: Entry[] }>(home, ["gameday", "timeline", id])).items.find(
        (e) => e.kind === "objective.failing",
      ),
    "the objective to fail",
    // Only a hang should reach this: a loaded machine starts each CLI process slowly.
    { intervalMs: 200, timeoutMs: 180_000 },
  );
}

describe("the closed-door game day against moto_server", () => {
  it("the fault closes port 80; the players open it again; the session ends resolved and restored", async () => {
    const { home, scenario } = await play();
    const before = await snapshot();
    expect(before.rules).toContain(HTTP_RULE);
    const plan = await json<{ faults: { steps: { undo: string }[] }[] }>(home, ["gameday", "plan", scenario]);
    expect(plan.faults[0]?.steps[0]?.undo).toBe("automatic");

    const done = start(home, scenario);
    const id = await sessionOf(home, done);
    const failing = await objectiveFailing(home, id);
    expect(failing.text).toContain("web-port-open");
    expect((await snapshot()).rules).not.toContain(HTTP_RULE);

    // The fix a player would make, with their own AWS client.
    await sdk.ec2().send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: world.group_id,
        IpPermissions: [
          { IpProtocol: "tcp", FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: "10.8.0.0/16" }] },
        ],
      }),
    );
    await json(home, ["gameday", "note", id, "port 80 open again", "--kind", "mitigated", "--by", "bob"]);
    const { code, final } = await done;
    expect(code).toBe(0);
    // The rule the fault's undo would put back is there already: that counts as undone.
    expect(final).toMatchObject({ status: "ended", end_reason: "resolved", clean_restore: true });
    expect(await snapshot()).toEqual(before);
  });

  it("nobody fixes it; the GM ends the session and the fault's undo opens port 80 again", async () => {
    const { home, scenario } = await play();
    const before = await snapshot();
    const done = start(home, scenario);
    const id = await sessionOf(home, done);
    await objectiveFailing(home, id);
    await json(home, ["gameday", "end", id, "--by", "alice"]);
    const { code, final } = await done;
    expect(code).toBe(0);
    expect(final).toMatchObject({ status: "ended", end_reason: "gm", clean_restore: true });
    expect(await snapshot()).toEqual(before);
  });
});
