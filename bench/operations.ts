/**
 * `npm run bench:operations`: a file operation of 200 targets × 5 steps (mkdir a directory, write
 * a config file, copy it aside, chmod it, replace a line in it — real files in a temp dir) run
 *
 *   - through opsdojo's engine in this process (`registerOperation` + `runOperation`, SQLite store),
 *   - through the CLI, `node bin/opsdojo.js run FILE --json`, so process start-up and opening the
 *     store are included (when a source is newer than dist/cli.mjs, bin/opsdojo.js runs the
 *     sources through tsx; the CLI is then also measured bundled, as `npm install` leaves it),
 *   - as the same provider calls without the engine and the journal ("file actions alone"), to
 *     show what the engine and its journal add per step,
 *   - and as the same work in an Ansible playbook, on the same machine.
 *
 * Every side's output tree is compared with the expected one, and so with the others (paths,
 * types, modes, bytes): they must have done the same work. The journal's own cost is measured
 * directly, as bench/journal.ts does, by replaying the run's intend/finish calls with its real
 * inputs and captured states; the budget is under 1 ms per step.
 *
 * Wall time and CPU time (user + system of every thread and child process) are both reported:
 * on a busy machine the wall times swing with the load, the CPU times much less.
 *
 * Fairest Ansible equivalent: an opsdojo target is an Ansible host (per-target vars, a failure
 * counted per target), so the playbook runs on 200 inventory hosts with `ansible_connection=local`,
 * `gather_facts: false` (opsdojo gathers nothing), a fixed `ansible_python_interpreter` (no
 * interpreter discovery per host) and Ansible's default 5 forks — and the operation runs with
 * `batch_size: 5` to match. A loop over the items on `localhost` was the other candidate; it runs
 * them one by one (like forks 1) and was ~1.45× slower at 20 targets, so it would flatter opsdojo.
 *
 * Ansible is optional: `apt-get install -y ansible` (Debian/Ubuntu) or `pipx install ansible-core`.
 * Without `ansible-playbook` on PATH the benchmark says so and reports opsdojo's numbers only.
 *
 * Options (env): BENCH_TARGETS (default 200), BENCH_BATCH (targets at a time / Ansible forks,
 * default 5), BENCH_ROUNDS for the opsdojo sides (default 3, the median is reported),
 * BENCH_ANSIBLE_ROUNDS (default 1, 0 skips Ansible: one Ansible round takes 3–7 minutes on a
 * 2-CPU machine, so three would not fit the few minutes a benchmark run should take).
 * `--json`: one JSON document on stdout instead of the table.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { lstat, readdir, readFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";
import { systemClock } from "../src/core/index.ts";
import { registerOperation } from "../src/operations/catalogue.ts";
import { defaultProviders, runOperation } from "../src/operations/engine/index.ts";
import { Journal } from "../src/operations/journal/index.ts";
import { interpolate, parseOperation } from "../src/operations/loader/index.ts";
import type { Operation, Target } from "../src/operations/model/index.ts";
import { openStore, type Store } from "../src/store/index.ts";

const targetCount = Number(process.env.BENCH_TARGETS ?? 200);
const batch = Number(process.env.BENCH_BATCH ?? 5);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const ansibleRounds = Number(process.env.BENCH_ANSIBLE_ROUNDS ?? 1);
const asJson = process.argv.includes("--json");
const repo = fileURLToPath(new URL("..", import.meta.url));
/** Progress goes to stderr, so that `--json` leaves stdout to the one document. */
const say = (line: string) => process.stderr.write(`${line}\n`);

// The work, step by step, in both spellings side by side — so that it is easy to see they agree.
/** An operation file's own `${…}` reference, spelt so that it is not mistaken for a placeholder. */
const ref = (path: string) => `\${${path}}`;
const DIR = ref("target.dir");
const CONTENT_OPSDOJO = `name=${ref("target.name")}\nrelease=1.0\nworkers=4\n`;
const CONTENT_ANSIBLE = "name={{ inventory_hostname }}\nrelease=1.0\nworkers=4\n";
const STEPS = [
  {
    name: "make-dir",
    opsdojo: { uses: "file.mkdir", with: { path: DIR, mode: "0755" } },
    ansible: { "ansible.builtin.file": { path: "{{ dir }}", state: "directory", mode: "0755" } },
  },
  {
    name: "write-config",
    opsdojo: { uses: "file.write", with: { path: `${DIR}/app.conf`, content: CONTENT_OPSDOJO } },
    ansible: {
      "ansible.builtin.copy": { dest: "{{ dir }}/app.conf", content: CONTENT_ANSIBLE, mode: "0644" },
    },
  },
  {
    name: "keep-original",
    opsdojo: {
      uses: "file.copy",
      with: { from: `${DIR}/app.conf`, to: `${DIR}/app.conf.orig` },
    },
    ansible: {
      "ansible.builtin.copy": {
        src: "{{ dir }}/app.conf",
        dest: "{{ dir }}/app.conf.orig",
        remote_src: true,
        mode: "0644",
      },
    },
  },
  {
    name: "restrict",
    opsdojo: { uses: "file.chmod", with: { path: `${DIR}/app.conf`, mode: "0640" } },
    ansible: { "ansible.builtin.file": { path: "{{ dir }}/app.conf", mode: "0640" } },
  },
  {
    name: "more-workers",
    opsdojo: {
      uses: "file.replace",
      with: { path: `${DIR}/app.conf`, find: "workers=4", replace: "workers=8" },
    },
    ansible: {
      "ansible.builtin.replace": { path: "{{ dir }}/app.conf", regexp: "workers=4", replace: "workers=8" },
    },
  },
] as const;
const stepCount = targetCount * STEPS.length;
const names = Array.from({ length: targetCount }, (_, i) => `t-${String(i + 1).padStart(3, "0")}`);

const work = mkdtempSync(join(tmpdir(), "opsdojo-bench-operations-"));
let dirs = 0;
/** A fresh directory under the benchmark's temp dir. */
function fresh(label: string): string {
  const dir = join(work, `${label}-${++dirs}`);
  mkdirSync(dir);
  return dir;
}

function operationText(root: string): string {
  return stringify({
    opsdojo: "operation/v1",
    name: "bench-files",
    description: "The benchmark's file work: one directory and config per target.",
    targets: names.map((name) => ({ name, vars: { dir: join(root, name) } })),
    strategy: { batch_size: batch },
    steps: STEPS.map((s) => ({ name: s.name, ...s.opsdojo })),
  });
}

// --- trees ------------------------------------------------------------------------------------

/** Every entry under `root` as `path type mode bytes-hash-or-link-target`, sorted. */
async function snapshot(root: string): Promise<string[]> {
  const lines: string[] = [];
  async function walk(dir: string, rel: string): Promise<void> {
    for (const name of (await readdir(dir)).sort()) {
      const path = join(dir, name);
      const relPath = rel === "" ? name : `${rel}/${name}`;
      const stats = await lstat(path);
      const mode = (stats.mode & 0o7777).toString(8);
      if (stats.isDirectory()) {
        lines.push(`${relPath} dir ${mode}`);
        await walk(path, relPath);
      } else if (stats.isSymbolicLink()) {
        lines.push(`${relPath} link -> ${readlinkSync(path)}`);
      } else {
        const hash = createHash("sha256")
          .update(await readFile(path))
          .digest("hex")
          .slice(0, 16);
        lines.push(`${relPath} file ${mode} ${hash}`);
      }
    }
  }
  await walk(root, "");
  return lines;
}

/** What every side must leave behind (written here independently of both tools). */
function expectedTree(): string[] {
  const hash = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 16);
  return names.flatMap((name) => [
    `${name} dir 755`,
    `${name}/app.conf file 640 ${hash(`name=${name}\nrelease=1.0\nworkers=8\n`)}`,
    `${name}/app.conf.orig file 644 ${hash(`name=${name}\nrelease=1.0\nworkers=4\n`)}`,
  ]);
}

const expected = expectedTree();
const mismatches: string[] = [];
/** Compare a side's tree with the expected one (and so with every other side); keep the tree if not. */
async function verify(side: string, root: string): Promise<void> {
  const got = await snapshot(root);
  const missing = expected.filter((line) => !got.includes(line));
  const extra = got.filter((line) => !expected.includes(line));
  if (missing.length === 0 && extra.length === 0) return;
  mismatches.push(
    `${side} (${root}): ${missing.length} missing, ${extra.length} unexpected; e.g. ${[
      ...missing.slice(0, 2).map((l) => `- ${l}`),
      ...extra.slice(0, 2).map((l) => `+ ${l}`),
    ].join(" | ")}`,
  );
}

// --- the opsdojo sides -------------------------------------------------------------------------

/** Wall time, and CPU time (user + system, every thread and child process) — the steadier of the two on a busy machine. */
interface Sample {
  seconds: number;
  cpu: number;
}

/** Wall and CPU time of `task` run in this process. */
async function timed<T>(task: () => Promise<T>): Promise<Sample & { value: T }> {
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const value = await task();
  const cpu = process.cpuUsage(cpu0);
  return { value, seconds: (performance.now() - started) / 1000, cpu: (cpu.user + cpu.system) / 1e6 };
}

async function withStore<T>(task: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore({ home: fresh("home") });
  try {
    return await task(store);
  } finally {
    await store.close();
  }
}

/** The engine in this process: register (parse) the file and run it, on a fresh SQLite store. */
async function inProcess(): Promise<Sample & { journal: { wallMs: number; cpuMs: number } }> {
  const root = fresh("in-process");
  const file = `${root}.yaml`;
  const text = operationText(root);
  writeFileSync(file, text);
  return withStore(async (store) => {
    const {
      value: result,
      seconds,
      cpu,
    } = await timed(async () => {
      const registered = await registerOperation(store, systemClock, text, file);
      return runOperation(
        { operation: registered.operation, operationId: registered.id, params: {} },
        { store, clock: systemClock, leaseMs: 60_000 },
      );
    });
    if (result.status !== "succeeded") throw new Error(`the in-process run ended ${result.status}`);
    await verify("opsdojo in-process", root);
    return { seconds, cpu, journal: await replayJournal(store, result.id) };
  });
}

/**
 * The journal's share, measured directly: the run's own intend/finish calls (its real inputs,
 * captured pre-states and outputs) replayed one after the other into a new run on the same store.
 */
async function replayJournal(store: Store, runId: string): Promise<{ wallMs: number; cpuMs: number }> {
  const journal = new Journal(store, systemClock);
  const records = await journal.steps(runId);
  if (records.length !== stepCount)
    throw new Error(`the journal holds ${records.length} steps, not ${stepCount}`);
  const replay = await journal.startRun({
    operationId: "op_bench_replay",
    operationName: "bench-replay",
    params: {},
    owner: "bench",
    leaseMs: 60_000,
  });
  const { seconds, cpu } = await timed(async () => {
    for (const r of records) {
      const key = { runId: replay, target: r.target, stepIndex: r.stepIndex };
      await journal.intend(key, { name: r.stepName, action: r.action, input: r.input, preState: r.preState });
      await journal.finish(key, r.output);
    }
  });
  return { wallMs: (seconds * 1000) / records.length, cpuMs: (cpu * 1000) / records.length };
}

/** The same provider calls the engine makes (validate, capture, act), with no engine and no journal. */
async function actionsAlone(): Promise<Sample> {
  const root = fresh("actions-alone");
  const op: Operation = parseOperation(operationText(root), "actions-alone.yaml");
  const providers = defaultProviders();
  return withStore(async (store) => {
    const context = { runId: "run_bench_actions", blobs: store.blobs, signal: new AbortController().signal };
    const runTarget = async (target: Target) => {
      const scope = { params: {}, target: { name: target.name, vars: target.vars ?? {} }, steps: {} };
      for (const step of op.steps) {
        const provider = providers.get(step.uses);
        if (!provider) throw new Error(`no provider for ${step.uses}`);
        const input = interpolate(step.with ?? {}, scope) as Record<string, unknown>;
        provider.validate(input);
        const pre = await provider.capture(input, context);
        await provider.act(input, pre, context);
      }
    };
    const targets = op.targets ?? [];
    const { seconds, cpu } = await timed(async () => {
      for (let i = 0; i < targets.length; i += batch)
        await Promise.all(targets.slice(i, i + batch).map(runTarget));
    });
    await verify("file actions alone", root);
    return { seconds, cpu };
  });
}

/** `Nm1.5s` (as the shell's `times` prints it) in seconds. */
function shellSeconds(text: string | undefined): number {
  const match = /^(\d+)m([\d.]+)s$/.exec(text ?? "");
  return match ? Number(match[1]) * 60 + Number(match[2]) : Number.NaN;
}

/**
 * Run a command to its end; its CPU time comes from the shell's `times` (POSIX), which counts
 * every descendant the command waited for — Ansible's module processes included.
 */
function exec(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string } & Sample> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const script = '"$@"; status=$?; times >&2; exit $status';
    const child = spawn("sh", ["-c", script, "sh", command, ...args], {
      cwd: repo,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const seconds = (performance.now() - started) / 1000;
      const lines = stderr.trimEnd().split("\n");
      const [user, system] = (lines.at(-1) ?? "").trim().split(/\s+/);
      const cpu = shellSeconds(user) + shellSeconds(system);
      resolve({ code, stdout, stderr: lines.slice(0, -2).join("\n"), seconds, cpu });
    });
  });
}

/**
 * `node SCRIPT run FILE --json` with a fresh OPSDOJO_HOME: start-up and store opening included.
 * SCRIPT is bin/opsdojo.js, or the bundle built by `bundleNow`.
 */
async function viaCli(script: string): Promise<Sample> {
  const root = fresh("cli");
  const file = `${root}.yaml`;
  writeFileSync(file, operationText(root));
  const env: NodeJS.ProcessEnv = { ...process.env, OPSDOJO_HOME: fresh("cli-home") };
  delete env.OPSDOJO_DATABASE_URL; // the CLI side runs on SQLite, like the in-process one
  const run = await exec(process.execPath, [script, "run", file, "--json"], env);
  const status = (() => {
    try {
      return (JSON.parse(run.stdout) as { status?: string }).status;
    } catch {
      return undefined;
    }
  })();
  if (run.code !== 0 || status !== "succeeded")
    throw new Error(`opsdojo run exited ${run.code} (${status ?? "no JSON"}): ${run.stderr.slice(-500)}`);
  await verify("opsdojo CLI", root);
  return { seconds: run.seconds, cpu: run.cpu };
}

/**
 * Which code `bin/opsdojo.js` runs: the bundle when it is newer than every source (as after
 * `npm install` or `npm run build`), else the sources through tsx — a much slower start.
 */
function cliEntry(): "bundle" | "sources through tsx" {
  const newest = (dir: string): number => {
    let mtime = 0;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) mtime = Math.max(mtime, newest(path));
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts"))
        mtime = Math.max(mtime, statSync(path).mtimeMs);
    }
    return mtime;
  };
  const bundle = join(repo, "dist/cli.mjs");
  if (process.env.OPSDOJO_FROM_SOURCE === "1" || !existsSync(bundle)) return "sources through tsx";
  const built = statSync(bundle).mtimeMs;
  const fresh = built >= newest(join(repo, "src")) && built >= statSync(join(repo, "package.json")).mtimeMs;
  return fresh ? "bundle" : "sources through tsx";
}

/**
 * When bin/opsdojo.js would run the sources through tsx (a source is newer than dist/cli.mjs, as
 * while someone edits), the CLI is also measured as installed: bundled as scripts/build.mjs does,
 * into node_modules/.cache (so that its packages resolve) — dist/ is left alone.
 */
async function bundleNow(): Promise<{ script: string; dir: string }> {
  const { build } = await import("esbuild");
  const dir = join(repo, "node_modules/.cache/opsdojo-bench-operations");
  mkdirSync(dir, { recursive: true });
  await build({
    entryPoints: [join(repo, "src/cli/main.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    outfile: join(dir, "cli.mjs"),
    logLevel: "warning",
  });
  const script = join(dir, "opsdojo.mjs");
  writeFileSync(
    script,
    'import { main } from "./cli.mjs";\nprocess.exitCode = await main(process.argv.slice(2));\n',
  );
  return { script, dir };
}

// --- Ansible -----------------------------------------------------------------------------------

async function ansibleVersion(): Promise<string | undefined> {
  try {
    const v = await exec("ansible-playbook", ["--version"], process.env);
    return v.code === 0 ? v.stdout.split("\n")[0]?.trim() : undefined;
  } catch {
    return undefined; // ENOENT: not installed
  }
}

async function viaAnsible(): Promise<Sample> {
  const root = fresh("ansible");
  const base = fresh("ansible-files");
  const python = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "auto_silent";
  const inventory = join(base, "inventory.yml");
  writeFileSync(
    inventory,
    stringify({
      targets: {
        hosts: Object.fromEntries(names.map((name) => [name, { dir: join(root, name) }])),
        vars: { ansible_connection: "local", ansible_python_interpreter: python },
      },
    }),
  );
  const playbook = join(base, "playbook.yml");
  writeFileSync(
    playbook,
    stringify([
      {
        name: "bench-files",
        hosts: "targets",
        gather_facts: false,
        tasks: STEPS.map((s) => ({ name: s.name, ...s.ansible })),
      },
    ]),
  );
  const env = {
    ...process.env,
    ANSIBLE_LOCAL_TEMP: join(base, "tmp-local"),
    ANSIBLE_REMOTE_TEMP: join(base, "tmp-remote"),
    ANSIBLE_NOCOLOR: "1",
    ANSIBLE_RETRY_FILES_ENABLED: "0",
  };
  const run = await exec("ansible-playbook", ["-i", inventory, "--forks", String(batch), playbook], env);
  if (run.code !== 0) throw new Error(`ansible-playbook exited ${run.code}: ${run.stdout.slice(-800)}`);
  await verify("Ansible", root);
  return { seconds: run.seconds, cpu: run.cpu };
}

// --- run ---------------------------------------------------------------------------------------

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

const benchStarted = performance.now();
const entries = new Set<string>();
const bundled = cliEntry() === "bundle" ? undefined : await bundleNow();
const samples = {
  inProcess: [] as Sample[],
  cli: [] as Sample[],
  cliBundled: [] as Sample[],
  actions: [] as Sample[],
  ansible: [] as Sample[],
};
const journalSamples: { wallMs: number; cpuMs: number }[] = [];
// Alternating rounds, so that a burst of other load on the machine hits every side alike.
for (let round = 1; round <= rounds; round++) {
  say(`round ${round}/${rounds}: opsdojo in-process, file actions alone, opsdojo CLI…`);
  const inner = await inProcess();
  samples.inProcess.push(inner);
  journalSamples.push(inner.journal);
  samples.actions.push(await actionsAlone());
  entries.add(cliEntry());
  samples.cli.push(await viaCli(join(repo, "bin/opsdojo.js")));
  if (bundled) samples.cliBundled.push(await viaCli(bundled.script));
}
const entry = [...entries].join(" and ");
const ansible = ansibleRounds > 0 ? await ansibleVersion() : undefined;
if (ansibleRounds === 0) {
  say("Ansible skipped (BENCH_ANSIBLE_ROUNDS=0).");
} else if (ansible) {
  for (let round = 1; round <= ansibleRounds; round++) {
    say(`Ansible round ${round}/${ansibleRounds} (${ansible}, ${batch} forks): this takes a few minutes…`);
    samples.ansible.push(await viaAnsible());
  }
} else {
  say("ansible-playbook is not installed: reporting opsdojo's numbers only.");
  say("To compare with Ansible: apt-get install -y ansible   (or: pipx install ansible-core)");
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;
/** Medians of wall and of CPU time, each taken on its own. */
const summary = (list: Sample[]): Sample => ({
  seconds: median(list.map((x) => x.seconds)),
  cpu: median(list.map((x) => x.cpu)),
});
const inProcessM = summary(samples.inProcess);
const binM = summary(samples.cli);
/** The CLI as installed (bundled): bin/opsdojo.js when its bundle is fresh, else the one built now. */
const cliM = bundled ? summary(samples.cliBundled) : binM;
const actionsM = summary(samples.actions);
const ansibleM = samples.ansible.length > 0 ? summary(samples.ansible) : undefined;
const journalMs = median(journalSamples.map((j) => j.wallMs));
const journalCpuMs = median(journalSamples.map((j) => j.cpuMs));
const perStepMs = (seconds: number) => (seconds * 1000) / stepCount;
const engineOverheadMs = perStepMs(inProcessM.seconds - actionsM.seconds);
const engineOverheadCpuMs = perStepMs(inProcessM.cpu - actionsM.cpu);
const rows = [
  { side: "opsdojo in-process (runOperation)", ...inProcessM, rounds },
  { side: `opsdojo CLI (bin/opsdojo.js: ${entry})`, ...binM, rounds },
  ...(bundled ? [{ side: "opsdojo CLI (bundled now, as installed)", ...cliM, rounds }] : []),
  { side: "file actions alone (no engine/journal)", ...actionsM, rounds },
  ...(ansibleM === undefined
    ? []
    : [{ side: "Ansible playbook", ...ansibleM, rounds: samples.ansible.length }]),
].map((r) => ({
  side: r.side,
  wall_s: round3(r.seconds),
  wall_ms_per_step: round3(perStepMs(r.seconds)),
  cpu_s: round3(r.cpu),
  rounds: r.rounds,
}));
const ratio = (a: number, b: number) => round3(a / b);
const report = {
  targets: targetCount,
  steps_per_target: STEPS.length,
  steps: stepCount,
  batch_size: batch,
  store: "sqlite",
  node: process.version,
  cpus: cpus().length,
  load_average_1m: round3(loadavg()[0] ?? 0),
  cli_entry: entry,
  cli_as_installed: bundled
    ? "bundled by the benchmark (dist/cli.mjs is stale)"
    : "bin/opsdojo.js with its bundle",
  ansible: ansible ?? null,
  ansible_shape: `${targetCount} inventory hosts, ansible_connection=local, gather_facts false, ${batch} forks`,
  results: rows,
  ratio_wall_ansible_to_in_process: ansibleM ? ratio(ansibleM.seconds, inProcessM.seconds) : null,
  ratio_wall_ansible_to_cli: ansibleM ? ratio(ansibleM.seconds, cliM.seconds) : null,
  ratio_cpu_ansible_to_in_process: ansibleM ? ratio(ansibleM.cpu, inProcessM.cpu) : null,
  ratio_cpu_ansible_to_cli: ansibleM ? ratio(ansibleM.cpu, cliM.cpu) : null,
  engine_overhead_ms_per_step: round3(engineOverheadMs),
  engine_overhead_cpu_ms_per_step: round3(engineOverheadCpuMs),
  journal_ms_per_step: round3(journalMs),
  journal_cpu_ms_per_step: round3(journalCpuMs),
  journal_budget_ms_per_step: 1,
  trees_identical: mismatches.length === 0,
  bench_seconds: Math.round((performance.now() - benchStarted) / 1000),
};
if (bundled) rmSync(bundled.dir, { recursive: true, force: true });
if (mismatches.length === 0) rmSync(work, { recursive: true, force: true });

if (asJson) {
  console.log(JSON.stringify(report, null, 2));
} else {
  console.table(rows);
  const ansibleNote =
    ansibleM === undefined
      ? `Ansible: ${ansibleRounds === 0 ? "skipped" : "not installed (apt-get install -y ansible)"}`
      : `Ansible (${ansible}): ${samples.ansible.length === 1 ? "1 round (one takes minutes; BENCH_ANSIBLE_ROUNDS=3 for a median)" : `median of ${samples.ansible.length} rounds`}, ${report.ansible_shape}`;
  console.log(
    `${targetCount} targets × ${STEPS.length} file steps, batch ${batch}, ${report.cpus} CPUs, load ${report.load_average_1m}; opsdojo: median of ${rounds} rounds; ${ansibleNote}`,
  );
  if (ansibleM !== undefined) {
    console.log(
      `Ansible / opsdojo: wall ${report.ratio_wall_ansible_to_in_process}× in-process, ${report.ratio_wall_ansible_to_cli}× CLI as installed; ` +
        `CPU ${report.ratio_cpu_ansible_to_in_process}× in-process, ${report.ratio_cpu_ansible_to_cli}× CLI as installed`,
    );
  }
  console.log(
    `engine + journal over the file actions alone: ${engineOverheadMs.toFixed(3)} ms per step (CPU ${engineOverheadCpuMs.toFixed(3)} ms)`,
  );
  console.log(
    `journal alone (intend + finish, replayed on SQLite): ${journalMs.toFixed(3)} ms per step (CPU ${journalCpuMs.toFixed(3)} ms); ` +
      `budget 1 ms: ${journalMs < 1 ? "ok" : "OVER BUDGET"}`,
  );
  console.log(`output trees identical across sides: ${mismatches.length === 0 ? "yes" : "NO"}`);
}
for (const m of mismatches) console.error(`tree mismatch: ${m}`);
if (mismatches.length > 0) {
  console.error(`the trees are kept in ${work} for a look`);
  process.exitCode = 1;
}
