import { spawn } from "node:child_process";
import { chmod, mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BIN, cleanEnv, opsdojo } from "../support/opsdojo-process.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";
import { snapshotTree, treeDifferences } from "../support/tree-snapshot.ts";
import { until } from "../support/until.ts";

afterAll(removeTempDirs);

const TARGETS = ["t1", "t2", "t3", "t4"];
/** Each pause between file steps; with 5 per target and 2 batches, a run lasts at least 1.2 s. */
const PAUSE_MS = 120;
/**
 * Kills land this long at most after the first change. The run cannot finish before its kill
 * however late the kill is (a busy machine can stall this process for seconds): the last target
 * ends on a `hold` step that waits for a file nobody writes.
 */
const MAX_KILL_DELAY_MS = 1100;
const COPIED_FILES = 150;
const SEEDS = [11, 23, 37, 41, 53, 67, 79, 97];

/** mulberry32: a small seeded generator, so every kill point can be replayed from its seed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Four targets, each with files of several modes, a tree holding links (one to /), a link to retarget. */
async function buildTree(root: string): Promise<void> {
  await mkdir(join(root, "outside"), { recursive: true });
  await writeFile(join(root, "outside", "keep.txt"), "not part of any target\n");
  for (const [i, t] of TARGETS.entries()) {
    const dir = join(root, t);
    await mkdir(join(dir, "cache", "a", "b"), { recursive: true });
    await mkdir(join(dir, "cache", "empty"), { mode: 0o700 });
    await mkdir(join(dir, "releases", "v1"), { recursive: true });
    await mkdir(join(dir, "releases", "v2"));
    await writeFile(join(dir, "app.conf"), `release=old-${t}\n`, { mode: 0o644 });
    await writeFile(join(dir, "settings.ini"), `colour=blue\nport=80${i}\n`, { mode: 0o640 });
    await writeFile(join(dir, "run.sh"), `#!/bin/sh\necho ${t}\n`, { mode: 0o755 });
    await writeFile(join(dir, "cache", "a", "b", "blob.bin"), Buffer.from([0, 1, 2, 255, 254, i]), {
      mode: 0o600,
    });
    await writeFile(join(dir, "cache", "notes ü.txt"), "ünïcödé\n");
    await symlink("/", join(dir, "cache", "to-root"));
    await symlink("../../outside", join(dir, "cache", "to-outside"));
    await symlink("a/b/blob.bin", join(dir, "cache", "to-blob"));
    await chmod(join(dir, "cache", "a"), 0o750);
    await symlink("releases/v1", join(dir, "current"));
    // Enough files that copying them takes a while: some kills land inside the copy.
    for (let f = 0; f < COPIED_FILES; f++)
      await writeFile(join(dir, "releases", "v1", `lib-${f}.js`), `export const n = ${f};\n`);
  }
}

function operation(root: string): string {
  const pause = (n: number) => `  - name: pause-${n}\n    uses: noop\n    with: { sleep: ${PAUSE_MS}ms }\n`;
  return `opsdojo: operation/v1
name: sigkill-roll
params:
  release: { type: string, default: "9.9" }
strategy: { batch_size: 2 }
targets:
${TARGETS.map((t) => `  - { name: ${t}, vars: { dir: "${root}/${t}", gate: "${root}/../${t === TARGETS.at(-1) ? "never" : "open"}" } }`).join("\n")}
steps:
  - name: write-conf
    uses: file.write
    with: { path: "\${target.dir}/app.conf", content: "release=\${params.release}\\n", mode: "0600" }
${pause(1)}  - name: recolour
    uses: file.replace
    with: { path: "\${target.dir}/settings.ini", find: blue, replace: green }
${pause(2)}  - name: lock-script
    uses: file.chmod
    with: { path: "\${target.dir}/run.sh", mode: "0700" }
${pause(3)}  - name: drop-cache
    uses: file.delete
    with: { path: "\${target.dir}/cache", recursive: true }
${pause(4)}  - name: switch
    uses: file.symlink
    with: { target: releases/v2, path: "\${target.dir}/current" }
${pause(5)}  - name: keep-copy
    uses: file.copy
    with: { from: "\${target.dir}/releases", to: "\${target.dir}/releases.bak" }
  - name: hold
    uses: shell.run
    with: { command: "while [ ! -e '\${target.gate}' ]; do sleep 0.05; done" }
    undo: { uses: noop }
`;
}

interface Listed {
  items: Array<{ id: string; status: string }>;
}

/** Start the run, wait for its first change, wait `delay` more, SIGKILL it. */
async function runAndKill(home: string, file: string, firstFile: string, delay: number): Promise<void> {
  const child = spawn(process.execPath, [BIN, "run", file], { env: cleanEnv(home), stdio: "ignore" });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let finished: number | null | undefined;
  void exited.then((code) => {
    finished = code;
  });
  const original = await readFile(firstFile, "utf8");
  await until(
    async () => finished !== undefined || (await readFile(firstFile, "utf8")) !== original,
    "the run's first change",
    { intervalMs: 10 },
  );
  // The one deliberate wait: a seeded kill point, not a wait for something to happen.
  await sleep(delay);
  expect(finished, "the run ended before it was killed").toBeUndefined();
  child.kill("SIGKILL");
  await exited;
}

/**
 * One lane: its own tree and store, killed once per seed; after each kill the run is listed,
 * shown interrupted, undone, and the tree compared with the original.
 */
async function lane(kills: ReadonlyArray<{ seed: number; delay: number }>): Promise<number> {
  const root = await tempDir("opsdojo-sigkill-");
  const home = await tempDir("opsdojo-sigkill-home-");
  const tree = join(root, "tree");
  await buildTree(tree);
  await writeFile(join(root, "open"), "");
  const file = join(root, "roll.yaml");
  await writeFile(file, operation(tree));
  const original = await snapshotTree(tree);
  const seen = new Set<string>();
  for (const { seed, delay } of kills) {
    const where = `seed ${seed}, killed ${delay} ms after the first change`;
    await runAndKill(home, file, join(tree, "t1", "app.conf"), delay);

    // The next start finds the run's process gone and marks it interrupted.
    const listed = await opsdojo(home, ["runs", "list", "--json"]);
    expect(listed.code, listed.stderr).toBe(0);
    const run = (JSON.parse(listed.stdout) as Listed).items.find((r) => !seen.has(r.id));
    expect(run, `${where}: a new run in ${listed.stdout}`).toBeDefined();
    const id = (run as { id: string }).id;
    seen.add(id);
    expect(run?.status, where).toBe("interrupted");

    const shown = await opsdojo(home, ["runs", "show", id, "--json"]);
    expect(shown.code, shown.stderr).toBe(0);
    const detail = JSON.parse(shown.stdout) as {
      status: string;
      events: Array<{ type: string }>;
      steps: Array<{ target: string; stepName: string; state: string }>;
    };
    const inFlight = detail.steps.filter((x) => x.state === "intent").map((x) => `${x.target}/${x.stepName}`);
    const at = `${where} (${detail.steps.filter((x) => x.state === "done").length} steps done, in flight: ${inFlight.join(", ") || "none"})`;
    expect(detail.status, at).toBe("interrupted");
    expect(detail.events.at(-1)?.type, at).toBe("run.interrupted");

    const undo = await opsdojo(home, ["runs", "undo", id, "--json"]);
    expect(undo.code, `${at}: ${undo.stderr}${undo.stdout}`).toBe(0);
    expect(JSON.parse(undo.stdout), at).toMatchObject({ id, status: "rolled_back", unrestored: [] });
    expect(treeDifferences(original, await snapshotTree(tree)), at).toEqual([]);
  }
  return seen.size;
}

describe("a run killed with SIGKILL at random moments", () => {
  it(`is listed, shown interrupted, and undone byte for byte (${SEEDS.length} kills, two lanes)`, async () => {
    // One kill per slice of the run's time, at a seeded point within its slice: random, yet
    // spread from the first step to the last, and the same on every run of the test.
    const kills = SEEDS.map((seed, i) => ({
      seed,
      delay: Math.floor(((i + seeded(seed)()) / SEEDS.length) * MAX_KILL_DELAY_MS),
    }));
    // Two runs at a time, each in its own tree and store: the CLI's start-up is most of a round.
    const counts = await Promise.all([
      lane(kills.filter((_, i) => i % 2 === 0)),
      lane(kills.filter((_, i) => i % 2 === 1)),
    ]);
    expect(counts).toEqual([SEEDS.length / 2, SEEDS.length / 2]);
    // A bound against hanging, not a measure: ~35 CLI starts take 20-40 s on an idle 2-core
    // machine, far more on a busy one.
  }, 400_000);
});
