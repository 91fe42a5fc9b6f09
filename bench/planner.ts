/**
 * `npm run bench:planner [-- --json]`: how long the undo planner takes as the number of changed
 * resources grows (10, 100, 1 000; BENCH_SIZES=10,100,1000,5000 for others). Each problem is
 * planned from the state after a step back to the state recorded before it:
 *
 * - `s3.delete_bucket`: a bucket of N objects, each backed up → create the bucket, put back N.
 * - `dynamodb.delete_table`: a table of N items, schema and old images kept → recreate, put back N.
 * - `tree, from blobs`: a tree of N files in √N directories deleted with only the files' bytes
 *   recorded (a checkpoint, no trash) → make every directory, then write every file back.
 * - `tree, from trash`: the same tree pseudo-deleted by file.delete → one move back.
 * - `overwrite, no backup`: N objects overwritten with nothing recorded → the reason, no search.
 * - `fleet restore`: N instances pseudo-terminated by N `ec2.terminate_instances` steps, each
 *   with its own inverse (a rolling upgrade's rollback) → N undos, one per instance.
 *
 * Times are the median of 5 runs after a warm-up, wall and CPU (the machine may be shared).
 * The target is well under a second for 1 000 changed resources.
 */
import {
  planRestore,
  type Recorded,
  type Resource,
  type RestoreProblem,
} from "../src/operations/planner/index.ts";

const sizes = (process.env.BENCH_SIZES ?? "10,100,1000").split(",").map(Number);
const json = process.argv.includes("--json");
const RUNS = 5;

const object = (key: string, hash: string | null): Resource => ({
  type: "object",
  bucket: "logs",
  key,
  object: hash === null ? null : { hash, metadata: "content-type=text/plain" },
});

function deleteBucket(n: number): RestoreProblem {
  const keys = Array.from({ length: n }, (_, i) => `2026/11/${i}.log`);
  return {
    before: [{ type: "bucket", bucket: "logs", exists: true }, ...keys.map((k, i) => object(k, `h${i}`))],
    after: [{ type: "bucket", bucket: "logs", exists: false }, ...keys.map((k) => object(k, null))],
    records: keys.map(
      (k, i): Recorded => ({
        type: "object-backup",
        bucket: "logs",
        key: k,
        hash: `h${i}`,
        metadata: "content-type=text/plain",
      }),
    ),
  };
}

function deleteTable(n: number): RestoreProblem {
  const keys = Array.from({ length: n }, (_, i) => `{"id":{"S":"${i}"}}`);
  return {
    before: [
      { type: "table", table: "users", schema: "id:S" },
      ...keys.map((k, i): Resource => ({ type: "item", table: "users", key: k, attributes: `a${i}` })),
    ],
    after: [
      { type: "table", table: "users", schema: null },
      ...keys.map((k): Resource => ({ type: "item", table: "users", key: k, attributes: null })),
    ],
    records: [
      { type: "table-schema", table: "users", schema: "id:S" },
      ...keys.map((k, i): Recorded => ({ type: "item-image", table: "users", key: k, attributes: `a${i}` })),
    ],
  };
}

function tree(n: number): Resource[] {
  const dirs = Math.max(1, Math.round(Math.sqrt(n)));
  const out: Resource[] = [{ type: "path", path: "/srv/data", node: { kind: "dir", mode: "0755" } }];
  for (let d = 0; d < dirs; d++)
    out.push({ type: "path", path: `/srv/data/d${d}`, node: { kind: "dir", mode: "0750" } });
  for (let i = 0; i < n; i++)
    out.push({
      type: "path",
      path: `/srv/data/d${i % dirs}/f${i}`,
      node: { kind: "file", hash: `h${i}`, mode: "0640" },
    });
  return out;
}

const gone = (resources: Resource[]): Resource[] =>
  resources.map((r) => (r.type === "path" ? { ...r, node: { kind: "absent" as const } } : r));

function treeFromBlobs(n: number): RestoreProblem {
  const before = tree(n);
  return {
    before,
    after: gone(before),
    records: Array.from({ length: n }, (_, i): Recorded => ({ type: "blob", hash: `h${i}` })),
  };
}

function treeFromTrash(n: number): RestoreProblem {
  const before = tree(n);
  return {
    before,
    after: gone(before),
    records: [{ type: "trash", id: "run-1", path: "/srv/data", tree: before }],
  };
}

function overwrittenNoBackup(n: number): RestoreProblem {
  const keys = Array.from({ length: n }, (_, i) => `k${i}`);
  return {
    before: [{ type: "bucket", bucket: "logs", exists: true }, ...keys.map((k) => object(k, `old${k}`))],
    after: [{ type: "bucket", bucket: "logs", exists: true }, ...keys.map((k) => object(k, `new${k}`))],
    records: [],
  };
}

function fleetRestore(n: number): RestoreProblem {
  const ids = Array.from({ length: n }, (_, i) => `i-${i.toString(16).padStart(17, "0")}`);
  const instance = (id: string, state: string): Resource => ({ type: "cloud", kind: "instance", id, state });
  return {
    before: ids.map((id) => instance(id, "running")),
    after: ids.map((id) => instance(id, "stopped, pending termination")),
    records: ids.map(
      (id): Recorded => ({
        type: "inverse",
        action: "ec2.terminate_instances.undo",
        restores: [instance(id, "running")],
      }),
    ),
  };
}

const PROBLEMS: readonly [string, (n: number) => RestoreProblem][] = [
  ["s3.delete_bucket", deleteBucket],
  ["dynamodb.delete_table", deleteTable],
  ["tree, from blobs", treeFromBlobs],
  ["tree, from trash", treeFromTrash],
  ["overwrite, no backup", overwrittenNoBackup],
  ["fleet restore", fleetRestore],
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const rows: Record<string, unknown>[] = [];
for (const [name, make] of PROBLEMS) {
  for (const n of sizes) {
    const problem = make(n);
    planRestore(problem, { timeLimitMs: 60_000 }); // warm-up
    const wall: number[] = [];
    const cpu: number[] = [];
    let last = planRestore(problem, { timeLimitMs: 60_000 });
    for (let r = 0; r < RUNS; r++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      last = planRestore(problem, { timeLimitMs: 60_000 });
      wall.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
    }
    rows.push({
      problem: name,
      changed: n,
      wall_ms: Number(median(wall).toFixed(1)),
      cpu_ms: Number(median(cpu).toFixed(1)),
      result: last.found ? `plan of ${last.plan.length}` : `no plan: ${last.why}`,
      expansions: last.stats.expansions,
      generated: last.stats.generated,
      ground_actions: last.stats.groundActions,
    });
  }
}

if (json) console.log(JSON.stringify({ node: process.version, runs: RUNS, rows }, null, 2));
else {
  const headers = Object.keys(rows[0] ?? {});
  const cells = rows.map((r) => headers.map((h) => String(r[h])));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? "").length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i] ?? 0)).join("  ");
  console.log(`planner (median of ${RUNS}, node ${process.version})`);
  console.log(line(headers));
  for (const c of cells) console.log(line(c));
}
