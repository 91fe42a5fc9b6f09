import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  AttachVolumeCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
} from "@aws-sdk/client-ec2";
import { afterAll, describe, expect, it } from "vitest";
import { seededRandom } from "../../src/core/index.ts";
import {
  defaultVpc,
  ec2World,
  fresh,
  launch,
  makeVolume,
} from "../../src/operations/providers/ec2/ec2-test-support.ts";
import {
  describeInstances,
  describeSecurityGroups,
  describeVolumes,
  ec2Client,
} from "../../src/operations/providers/ec2/index.ts";
import { useMoto } from "../support/moto.ts";
import { BIN, cleanEnv, opsdojo } from "../support/opsdojo-process.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";
import { until } from "../support/until.ts";

// examples/operations/ec2-retire-instance.yaml run by the real `opsdojo` command against
// moto_server on loopback, as its README says: plan, run, undo (a volume back under a new id),
// runs show, then run again and commit.

const EXAMPLE = fileURLToPath(new URL("../../examples/operations/ec2-retire-instance.yaml", import.meta.url));
const moto = useMoto();
afterAll(removeTempDirs);

async function seed() {
  const [instance = ""] = await launch(1, { app: "legacy" });
  const volume = await makeVolume({ app: "legacy-data" });
  await ec2Client().send(
    new AttachVolumeCommand({ VolumeId: volume, InstanceId: instance, Device: "/dev/sdf" }),
  );
  const group = await ec2Client().send(
    new CreateSecurityGroupCommand({
      GroupName: fresh("ssh"),
      Description: "ssh",
      VpcId: await defaultVpc(),
    }),
  );
  await ec2Client().send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: group.GroupId,
      IpPermissions: [{ IpProtocol: "tcp", FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: "10.0.0.0/8" }] }],
    }),
  );
  return [`instance_id=${instance}`, `volume_id=${volume}`, `group_id=${group.GroupId}`] as const;
}

const params = (p: readonly string[]) => p.flatMap((x) => ["--param", x]);

describe("opsdojo with EC2 (moto_server on loopback)", () => {
  it("plan classifies every step; run, runs undo and runs show; run again and commit", async () => {
    const home = await tempDir();
    const cli = (args: string[]) => opsdojo(home, args, { ...moto().env });
    const p = await seed();
    const [instance = "", volume = ""] = p.map((x) => x.split("=")[1]);
    const before = await ec2World();

    const plan = await cli(["plan", EXAMPLE, ...params(p), "--json"]);
    expect(plan.code, plan.stderr).toBe(0);
    const planned = JSON.parse(plan.stdout) as {
      summary: Record<string, number>;
      steps: { name: string; class: string; previews: { effects: { detail?: string }[] }[] }[];
    };
    expect(planned.summary).toEqual({ automatic: 4, declared: 0, planned: 0, irreversible: 0 });
    const retire = planned.steps.find((st) => st.name === "retire");
    expect(retire?.previews[0]?.effects[0]?.detail).toMatch(
      /terminated at `runs commit` \(the point of no return\)/,
    );
    expect(await ec2World()).toEqual(before);

    const run = await cli(["run", EXAMPLE, ...params(p), "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { id: string; status: string };
    expect(result.status).toBe("succeeded");
    expect((await describeInstances("test", [instance]))[0]?.state).toBe("stopped");

    const undo = await cli(["runs", "undo", result.id]);
    expect(undo.code, undo.stdout + undo.stderr).toBe(0);
    const show = await cli(["runs", "show", result.id]);
    expect(show.code, show.stderr).toBe(0);
    const renamed = new RegExp(`volume ${volume} → (vol-[0-9a-f]+)`).exec(show.stdout)?.[1];
    expect(renamed, show.stdout).toBeDefined();
    const now = await ec2World();
    const restored = now.volumes.find((v) => v.id === renamed);
    expect(restored?.attachments).toEqual([{ instance_id: instance, device: "/dev/sdf" }]);
    const { "opsdojo:restores": _provenance, ...tags } = restored?.tags ?? {};
    expect({
      ...now,
      volumes: now.volumes
        .map((v) => (v.id === renamed ? { ...v, id: volume, tags } : v))
        .sort((a, b) => a.id.localeCompare(b.id)),
    }).toEqual(before);

    const second = await cli(["run", EXAMPLE, ...params([p[0], `volume_id=${renamed}`, p[2]]), "--json"]);
    expect(second.code, second.stderr).toBe(0);
    const id = (JSON.parse(second.stdout) as { id: string }).id;
    const commit = await cli(["runs", "commit", id, "--json"]);
    expect(commit.code, commit.stderr).toBe(0);
    expect((await describeInstances("test", [instance]))[0]?.state).toBe("terminated");
    expect((await cli(["runs", "undo", id])).code).toBe(3);
  });

  // Where the run is killed: once the world shows that step's effect (the run may be a little
  // further on by then, which is as good a point as any). The last one waits in a noop step.
  const POINTS: readonly [
    string,
    (p: { volume: string; group: string; instance: string }) => Promise<boolean>,
  ][] = [
    [
      "the volume detached",
      async (w) => (await describeVolumes("test", [w.volume]))[0]?.attachments.length === 0,
    ],
    ["the volume deleted", async (w) => (await describeVolumes("test", [w.volume])).length === 0],
    [
      "the rule revoked",
      async (w) => (await describeSecurityGroups("test", [w.group]))[0]?.ingress.length === 0,
    ],
    [
      "the instance stopped",
      async (w) => (await describeInstances("test", [w.instance]))[0]?.state === "stopped",
    ],
  ];

  // Two of the four points per suite run, drawn by a seed in the test's name (each run of the suite
  // draws others): OPSDOJO_KILL_SEED=N replays a draw, OPSDOJO_KILL_POINTS=all takes all four.
  const SEED = process.env.OPSDOJO_KILL_SEED ?? String(Date.now() % 1_000_000);
  const drawn =
    process.env.OPSDOJO_KILL_POINTS === "all"
      ? POINTS
      : (() => {
          const random = seededRandom(SEED);
          const pool = [...POINTS];
          return [0, 1].map(
            () => pool.splice(Math.floor(random() * pool.length), 1)[0] as (typeof POINTS)[number],
          );
        })();

  it(`after kill -9 at points drawn by seed ${SEED}, runs undo brings back the same world`, async () => {
    for (const [point, reached] of drawn) {
      const home = await tempDir();
      const p = await seed();
      const [instance = "", volume = "", group = ""] = p.map((x) => x.split("=")[1] ?? "");
      const before = await ec2World();
      const file = join(home, "retire.yaml");
      const text = await readFile(EXAMPLE, "utf8");
      await writeFile(file, `${text}  - name: wait\n    uses: noop\n    with: { sleep: 60s }\n`);
      const child = spawn(process.execPath, [BIN, "run", file, ...params(p)], {
        env: cleanEnv(home, { ...moto().env }),
        stdio: "ignore",
      });
      const exited = new Promise((resolve) => child.once("exit", resolve));
      // Each probe is a call to moto (Python, CPU-heavy): ask 10 times a second, not 40.
      await until(() => reached({ instance, volume, group }), point, { intervalMs: 100 });
      child.kill("SIGKILL");
      await exited;

      const cli = (args: string[]) => opsdojo(home, args, { ...moto().env });
      const listed = JSON.parse((await cli(["runs", "list", "--json"])).stdout) as {
        items: Array<{ id: string; status: string }>;
      };
      const id = String(listed.items[0]?.id);
      expect(listed.items[0]?.status, point).toBe("interrupted");
      const undo = await cli(["runs", "undo", id, "--json"]);
      expect(undo.code, `${point}: ${undo.stdout} ${undo.stderr}`).toBe(0);
      expect(JSON.parse(undo.stdout), point).toMatchObject({ status: "rolled_back", unrestored: [] });
      const show = JSON.parse((await cli(["runs", "show", id, "--json"])).stdout) as {
        identities?: { from: string; to: string }[];
      };
      const renamed = new Map((show.identities ?? []).map((c) => [c.to, c.from]));
      const now = await ec2World();
      expect(
        {
          ...now,
          volumes: now.volumes
            .map((v) => {
              const old = renamed.get(v.id);
              if (old === undefined) return v;
              const { "opsdojo:restores": _provenance, ...tags } = v.tags;
              return { ...v, id: old, tags };
            })
            .sort((a, b) => a.id.localeCompare(b.id)),
        },
        point,
      ).toEqual(before);
    }
  });
});
