import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import { DescribeInstancesCommand } from "@aws-sdk/client-ec2";
import { DescribeTargetHealthCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { seededRandom } from "../../src/core/index.ts";
import { sdk } from "../../src/operations/providers/aws-state/net-test-support.ts";
import { useMoto } from "../support/moto.ts";
import { BIN, cleanEnv, opsdojo } from "../support/opsdojo-process.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";
import { until } from "../support/until.ts";

// examples/operations/rolling-upgrade.yaml run by the real `opsdojo` command against one
// moto_server (a new AWS account there per case), with the world its setup script makes: plan, run (the third
// batch fails its health check, the run rolls back) and moto's world as it was, fact by fact.
// Then kill -9 at points of the upgrade drawn by a seed (in the test's name; set
// OPSDOJO_KILL_SEED to replay one), and `runs undo`: the same world back.

const DIR = fileURLToPath(new URL("../../examples/operations/", import.meta.url));
const EXAMPLE = join(DIR, "rolling-upgrade.yaml");
type Params = Record<string, string>;
interface Example {
  setup(): Promise<Params>;
  snapshot(): Promise<unknown>;
}
const example = async () => (await import(join(DIR, "rolling-upgrade-setup.mjs"))) as Example;

// Date.now only picks which points: any seed is a valid test, and the name says which it was.
const SEED = process.env.OPSDOJO_KILL_SEED ?? String(Date.now() % 1_000_000);
// Two of the ten points per suite run (each run of the suite draws others); OPSDOJO_KILL_POINTS=N
// kills at N, =all at every point (ten runs: too slow for every suite run).
const WANTED = process.env.OPSDOJO_KILL_POINTS;
const COUNT = WANTED === "all" ? Number.POSITIVE_INFINITY : Number(WANTED) > 0 ? Number(WANTED) : 2;
const moto = useMoto({ accountPerTest: true });
afterAll(removeTempDirs);

let params: Params;
let before: unknown;
beforeEach(async () => {
  params = { ...(await (await example()).setup()), examples: DIR };
  before = await (await example()).snapshot();
});

const flags = (p: Params) => Object.entries(p).flatMap(([k, v]) => ["--param", `${k}=${v}`]);
const world = async () => (await example()).snapshot();

describe("the rolling upgrade example against moto_server", () => {
  it("plan: every step automatic; run: the third batch fails, the rollback restores the world", async () => {
    const home = await tempDir();
    const cli = (args: string[]) => opsdojo(home, args, { ...moto().env });

    const plan = await cli(["plan", EXAMPLE, ...flags(params), "--json"]);
    expect(plan.code, plan.stderr).toBe(0);
    const planned = JSON.parse(plan.stdout) as {
      summary: Record<string, number>;
      steps: { name: string; previews: { effects: { detail?: string }[] }[] }[];
    };
    expect(planned.summary).toEqual({ automatic: 24, declared: 0, planned: 0, irreversible: 0 });
    const retire = planned.steps.find((s) => s.name === "retire-1")?.previews[0]?.effects[0]?.detail;
    expect(retire).toContain("detached from Auto Scaling group rolling-web");
    expect(retire).toContain("terminated at `runs commit` (the point of no return)");
    expect(await world()).toEqual(before);

    const run = await cli(["run", EXAMPLE, ...flags(params), "--json"]);
    expect(run.code, run.stderr).toBe(1);
    const result = JSON.parse(run.stdout) as { id: string; status: string };
    expect(result.status).toBe("rolled_back");
    const failure = JSON.stringify(result);
    expect(failure).toContain("serve-3");
    expect(failure).toContain("Target.NotInUse");
    expect(await world()).toEqual(before);

    // Nothing is left for the journal to undo, and the launched instances are really gone.
    const all = await sdk.ec2().send(new DescribeInstancesCommand({}));
    const v2 = (all.Reservations ?? [])
      .flatMap((r) => r.Instances ?? [])
      .filter((i) => i.Tags?.some((t) => t.Key === "release"));
    expect(v2.map((i) => i.State?.Name)).toEqual(Array(6).fill("terminated"));
  });

  it("with every batch in a zone the load balancer serves, the upgrade succeeds; runs commit terminates the old 8", async () => {
    const home = await tempDir();
    const cli = (args: string[]) => opsdojo(home, args, { ...moto().env });
    const run = await cli([
      "run",
      EXAMPLE,
      ...flags({ ...params, subnet_c: String(params.subnet_b) }),
      "--json",
    ]);
    expect(run.code, run.stderr).toBe(0);
    const id = (JSON.parse(run.stdout) as { id: string }).id;
    const olds = Array.from({ length: 8 }, (_, n) => String(params[`instance_${n + 1}`]));
    const mid = await probe(params);
    expect(mid.version).toBe("2");
    expect(mid.v2Live).toBe(8);
    expect([...mid.members].filter((m) => olds.includes(m))).toEqual([]);
    expect(newMembers(mid)).toBe(8);
    expect(olds.map((o) => mid.state.get(o))).toEqual(Array(8).fill("stopped"));

    const commit = await cli(["runs", "commit", id, "--json"]);
    expect(commit.code, commit.stderr).toBe(0);
    const after = await probe(params);
    expect(olds.map((o) => after.state.get(o))).toEqual(Array(8).fill("terminated"));
    expect(after.v2Live).toBe(8);
  });

  describe(`kill -9 at points drawn by seed ${SEED}, then runs undo`, () => {
    for (const point of drawPoints(SEED, COUNT))
      it(`${point.name}: runs undo brings back the world as it was`, async () => {
        const home = await tempDir();
        const file = join(home, "rolling-upgrade.yaml");
        const released = join(home, "released");
        await writeFile(file, await holdingAt(point, released));
        const child = spawn(process.execPath, [BIN, "run", file, ...flags(params)], {
          env: cleanEnv(home, { ...moto().env }),
          stdio: "ignore",
        });
        const exited = new Promise((resolve) => child.once("exit", resolve));
        let ended = false;
        void exited.then(() => {
          ended = true;
        });
        // Each probe is a few calls to moto (Python, CPU-heavy): ask 5 times a second.
        await until(
          async () => {
            if (ended) throw new Error(`the run ended before ${point.name} was seen`);
            return point.reached(await probe(params));
          },
          point.name,
          { intervalMs: 200, timeoutMs: 180_000 },
        );
        child.kill("SIGKILL");
        await exited;
        await writeFile(released, "");

        const cli = (args: string[]) => opsdojo(home, args, { ...moto().env });
        const listed = JSON.parse((await cli(["runs", "list", "--json"])).stdout) as {
          items: { id: string; status: string }[];
        };
        expect(listed.items[0]?.status).toBe("interrupted");
        const undo = await cli(["runs", "undo", String(listed.items[0]?.id), "--json"]);
        expect(undo.code, `${undo.stdout} ${undo.stderr}`).toBe(0);
        expect(JSON.parse(undo.stdout)).toMatchObject({ status: "rolled_back", unrestored: [] });
        expect(await world()).toEqual(before);
      });
  });
});

// ---- the kill points ----------------------------------------------------------------------------

/** What the probes read: live instances by id, the group's members, the registered targets. */
interface Probe {
  readonly state: ReadonlyMap<string, string>;
  /** New instances (tagged `release`) that are not terminated, and those that are. */
  readonly v2Live: number;
  readonly v2Terminated: number;
  readonly members: ReadonlySet<string>;
  readonly targets: ReadonlySet<string>;
  readonly version: string;
  readonly suspended: number;
}

async function probe(p: Params): Promise<Probe> {
  const all = await sdk.ec2().send(new DescribeInstancesCommand({}));
  const instances = (all.Reservations ?? []).flatMap((r) => r.Instances ?? []);
  const v2 = instances.filter((i) => i.Tags?.some((t) => t.Key === "release"));
  const group = (
    await sdk
      .autoscaling()
      .send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [String(p.group)] }))
  ).AutoScalingGroups?.[0];
  const health = await sdk
    .elbv2()
    .send(new DescribeTargetHealthCommand({ TargetGroupArn: p.target_group_arn }));
  return {
    state: new Map(instances.map((i) => [String(i.InstanceId), String(i.State?.Name)])),
    v2Live: v2.filter((i) => i.State?.Name !== "terminated").length,
    v2Terminated: v2.filter((i) => i.State?.Name === "terminated").length,
    members: new Set((group?.Instances ?? []).map((i) => String(i.InstanceId))),
    targets: new Set((health.TargetHealthDescriptions ?? []).map((d) => String(d.Target?.Id))),
    version: String(group?.LaunchTemplate?.Version),
    suspended: (group?.SuspendedProcesses ?? []).length,
  };
}

interface KillPoint {
  readonly name: string;
  /**
   * Where the run is held so the point cannot be missed: a `noop` waits a minute after this step
   * (two steps after the one whose effect is probed, so the kill lands anywhere in between), or,
   * with `inUndo`, the noop's undo waits — a point inside the rollback.
   */
  readonly holdAfter: string;
  readonly inUndo?: boolean;
  readonly reached: (w: Probe) => boolean;
}

const old = (n: number) => String(params[`instance_${n}`]);
const newMembers = (w: Probe) => [...w.members].filter((id) => !Object.values(params).includes(id)).length;

const POINTS: readonly KillPoint[] = [
  { name: "the group held", holdAfter: "drain-1", reached: (w) => w.suspended > 0 },
  { name: "the group on version 2", holdAfter: "retire-1", reached: (w) => w.version === "2" },
  { name: "batch 1 drained", holdAfter: "launch-1", reached: (w) => !w.targets.has(old(1)) },
  { name: "batch 1 retired", holdAfter: "serve-1", reached: (w) => w.state.get(old(2)) === "stopped" },
  { name: "batch 1 launched", holdAfter: "join-1", reached: (w) => w.v2Live >= 1 },
  { name: "batch 1 joined", holdAfter: "retire-2", reached: (w) => newMembers(w) >= 2 },
  { name: "batch 2 retired", holdAfter: "serve-2", reached: (w) => w.state.get(old(4)) === "stopped" },
  { name: "batch 2 joined", holdAfter: "retire-3", reached: (w) => newMembers(w) >= 4 },
  { name: "batch 3 launched", holdAfter: "launch-3", reached: (w) => w.v2Live >= 5 },
  {
    name: "in the rollback, batches 3 and 2 undone",
    holdAfter: "retire-2",
    inUndo: true,
    reached: (w) => w.v2Terminated >= 4,
  },
];

function drawPoints(seed: string, count: number): KillPoint[] {
  const random = seededRandom(seed);
  const pool = [...POINTS];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j] as KillPoint, pool[i] as KillPoint];
  }
  return pool.slice(0, count);
}

/** The example with a held noop step inserted after the point's step (JSON is YAML too). */
async function holdingAt(point: KillPoint, released: string): Promise<string> {
  const doc = parse(await readFile(EXAMPLE, "utf8")) as { steps: Record<string, unknown>[] };
  const at = doc.steps.findIndex((s) => s.name === point.holdAfter);
  if (at < 0) throw new Error(`no step ${point.holdAfter}`);
  // The undo waits until the test releases it (after the kill), so `runs undo` does not wait.
  const wait = `for i in $(seq 1 1200); do [ -e '${released}' ] && exit 0; sleep 0.1; done; exit 1`;
  const hold = point.inUndo
    ? { name: "hold", uses: "noop", undo: { uses: "shell.run", with: { command: wait } } }
    : { name: "hold", uses: "noop", with: { sleep: "60s" } };
  doc.steps.splice(at + 1, 0, hold);
  return JSON.stringify(doc, null, 2);
}
