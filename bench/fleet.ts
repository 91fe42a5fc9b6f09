/**
 * `npm run bench:fleet`: the same 5-step file operation on a fleet of 20+ SSH hosts, by Ansible
 * and by opsdojo, side by side in one run.
 *
 *   - The hosts are real OpenSSH servers on loopback (test/support/sshd.ts), one per "host", each
 *     with its own host key, all letting in one fresh key; known_hosts lists them all.
 *   - The work is examples/operations/fleet-config.yaml: mkdir a release directory, write its
 *     app.conf, copy it to app.conf.default, chmod app.conf 0640, point `current` at the release;
 *     a quarter of the hosts at a time. Each host works under ROOT/<host>/, so hosts sharing this
 *     machine do not share a tree.
 *   - opsdojo: `node bin/opsdojo.js run examples/operations/fleet-config.yaml --inventory INI
 *     --limit fleet --known-hosts FILE --json`, a fresh OPSDOJO_HOME each round: start-up, the
 *     SQLite store and the journal (captures before every act) are included.
 *   - Ansible: ansible-playbook on the same INI inventory, the same five steps as tasks
 *     (bench/fleet/ansible.ts), `serial: 25%`, `gather_facts: false`, pipelining on,
 *     ControlPersist on, forks = hosts, python3 named (no interpreter discovery).
 *
 * Wall and CPU time for each side. CPU is reported apart for the controller (the tool and every
 * process it waited for, from the shell's `times`; for Ansible also the ssh masters
 * ControlPersist left running, read from /proc before they are stopped) and for the hosts (the
 * CPU the sshd servers and everything they ran used, read from /proc before and after): on one
 * machine both are this machine's, and a tool that moves work onto the hosts must not look
 * cheaper for it. Afterwards both trees are compared with each other and with the tree expected
 * (bytes, modes, link targets); a difference fails the bench (exit 1) and keeps the trees.
 *
 * ansible-playbook missing: the bench says so and measures opsdojo alone. `opsdojo run` failing
 * (before SSH targets are wired, `--inventory` is unknown): the bench says why and reports
 * Ansible alone, exit 1. sshd missing: it says so (apt-get install openssh-server).
 *
 * Options (env): BENCH_HOSTS (default 20), BENCH_ROUNDS (default 1; medians when more).
 * `--json`: one JSON document on stdout instead of the table. Not part of `npm test`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type SshFleet, startSshFleet } from "../test/support/sshd.ts";
import { removeTempDirs } from "../test/support/temp.ts";
import { ansibleVersion, runAnsible } from "./fleet/ansible.ts";
import { childrenOf, processCpu, timedRun, waitFor } from "./fleet/measure.ts";
import { expectedTree, snapshotTree, treeDifferences } from "./fleet/tree.ts";

const hostCount = Number(process.env.BENCH_HOSTS ?? 20);
const rounds = Number(process.env.BENCH_ROUNDS ?? 1);
const asJson = process.argv.includes("--json");
const repo = fileURLToPath(new URL("..", import.meta.url));
const OPERATION = join(repo, "examples/operations/fleet-config.yaml");
const RELEASE = "2.0.0";
const WORKERS = 4;
/** Progress goes to stderr, so that `--json` leaves stdout to the one document. */
const say = (line: string) => process.stderr.write(`${line}\n`);

interface Measured {
  readonly wall: number;
  readonly controllerCpu: number;
  readonly hostsCpu: number;
}

const work = mkdtempSync(join(tmpdir(), "opsdojo-bench-fleet-"));
let fleet: SshFleet;
try {
  fleet = await startSshFleet(hostCount);
} catch (error) {
  say(`cannot start the fleet: ${(error as Error).message}`);
  process.exit(1);
}
const names = fleet.hosts.map((_, i) => `host${String(i + 1).padStart(2, "0")}`);

// One inventory for both tools: Ansible's INI, which opsdojo reads as it is.
const inventory = join(work, "fleet.ini");
writeFileSync(
  inventory,
  [
    "[fleet]",
    ...fleet.hosts.map((h, i) => `${names[i]} ansible_host=127.0.0.1 ansible_port=${h.port}`),
    "",
    "[fleet:vars]",
    `ansible_user=${fleet.user}`,
    `ansible_ssh_private_key_file=${fleet.identityFile}`,
    `ansible_ssh_common_args='-o UserKnownHostsFile=${fleet.knownHosts} -o StrictHostKeyChecking=yes'`,
    "",
  ].join("\n"),
);

/** CPU the fleet's sshd servers used so far, with the sessions they reaped (so, once they end). */
function hostsCpu(): number {
  return childrenOf(process.pid).reduce((sum, pid) => sum + processCpu(pid, true), 0);
}
/** Every session of the fleet has ended, so its CPU is in its server's count. */
async function sessionsEnded(): Promise<void> {
  await waitFor(
    () => childrenOf(process.pid).every((server) => childrenOf(server).length === 0),
    "the hosts' SSH sessions to end",
  );
}

const mismatches: string[] = [];
const expected = expectedTree(names, RELEASE, WORKERS);
async function compare(side: string, root: string): Promise<string[]> {
  const tree = await snapshotTree(root);
  const differences = treeDifferences(expected, tree);
  if (differences.length > 0)
    mismatches.push(
      `${side} (${root}): ${differences.slice(0, 4).join(" | ")}${differences.length > 4 ? " …" : ""}`,
    );
  return tree;
}

async function opsdojoRound(round: number): Promise<Measured & { tree: string[] }> {
  const root = join(work, `opsdojo-${round}`);
  const home = join(work, `opsdojo-home-${round}`);
  mkdirSync(root);
  await sessionsEnded();
  const before = hostsCpu();
  const run = await timedRun(
    "node",
    [
      join(repo, "bin/opsdojo.js"),
      "run",
      OPERATION,
      "--inventory",
      inventory,
      "--limit",
      "fleet",
      "--known-hosts",
      fleet.knownHosts,
      "--param",
      `root=${root}`,
      "--param",
      `release=${RELEASE}`,
      "--param",
      `workers=${WORKERS}`,
      "--json",
    ],
    { ...process.env, OPSDOJO_HOME: home },
    repo,
  );
  if (run.code !== 0) {
    const why = (run.stderr.trim().split("\n")[0] ?? "").slice(0, 300);
    throw new Error(`opsdojo run exited ${run.code}: ${why}`);
  }
  await sessionsEnded();
  const measured = { wall: run.seconds, controllerCpu: run.cpu, hostsCpu: hostsCpu() - before };
  return { ...measured, tree: await compare("opsdojo", root) };
}

async function ansibleRound(round: number): Promise<Measured & { tree: string[]; masters: number }> {
  const root = join(work, `ansible-${round}`);
  mkdirSync(root);
  await sessionsEnded();
  const before = hostsCpu();
  const run = await runAnsible({
    work: join(work, `ansible-work-${round}`),
    inventory,
    hosts: hostCount,
    vars: { root, release: RELEASE, workers: WORKERS },
    cwd: repo,
  });
  if (run.code !== 0) throw new Error(`ansible-playbook exited ${run.code}: ${run.stdout.slice(-800)}`);
  await sessionsEnded();
  return {
    wall: run.seconds,
    controllerCpu: run.cpu + run.mastersCpu,
    hostsCpu: hostsCpu() - before,
    masters: run.masters,
    tree: await compare("Ansible", root),
  };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};
const summary = (list: Measured[]): Measured => ({
  wall: median(list.map((m) => m.wall)),
  controllerCpu: median(list.map((m) => m.controllerCpu)),
  hostsCpu: median(list.map((m) => m.hostsCpu)),
});

const started = performance.now();
const ansible = await ansibleVersion(repo);
if (ansible === undefined)
  say("ansible-playbook is not installed: measuring opsdojo alone (apt-get install -y ansible).");
const samples = { opsdojo: [] as Measured[], ansible: [] as Measured[] };
let opsdojoFailure: string | undefined;
let ansibleFailure: string | undefined;
let lastTrees: { opsdojo?: string[]; ansible?: string[] } = {};
try {
  // Alternating rounds, so that a burst of other load on the machine hits both sides alike.
  for (let round = 1; round <= rounds; round++) {
    lastTrees = {};
    if (opsdojoFailure === undefined) {
      say(`round ${round}/${rounds}: opsdojo on ${hostCount} hosts…`);
      try {
        const r = await opsdojoRound(round);
        samples.opsdojo.push(r);
        lastTrees.opsdojo = r.tree;
      } catch (error) {
        opsdojoFailure = (error as Error).message;
        say(`opsdojo failed: ${opsdojoFailure}`);
      }
    }
    if (ansible !== undefined && ansibleFailure === undefined) {
      say(`round ${round}/${rounds}: Ansible (${ansible}) on ${hostCount} hosts…`);
      try {
        const r = await ansibleRound(round);
        samples.ansible.push(r);
        lastTrees.ansible = r.tree;
      } catch (error) {
        ansibleFailure = (error as Error).message;
        say(`Ansible failed: ${ansibleFailure}`);
      }
    }
    if (lastTrees.opsdojo !== undefined && lastTrees.ansible !== undefined) {
      const between = treeDifferences(lastTrees.ansible, lastTrees.opsdojo);
      if (between.length > 0)
        mismatches.push(`opsdojo vs Ansible, round ${round}: ${between.slice(0, 4).join(" | ")}`);
    }
  }
} finally {
  await fleet.stop();
  await removeTempDirs();
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;
const o = samples.opsdojo.length > 0 ? summary(samples.opsdojo) : undefined;
const a = samples.ansible.length > 0 ? summary(samples.ansible) : undefined;
const row = (side: string, m: Measured | undefined, n: number) =>
  m === undefined
    ? undefined
    : {
        side,
        wall_s: round3(m.wall),
        cpu_controller_s: round3(m.controllerCpu),
        cpu_hosts_s: round3(m.hostsCpu),
        cpu_total_s: round3(m.controllerCpu + m.hostsCpu),
        rounds: n,
      };
const rows = [
  row("opsdojo run --inventory (CLI, journal included)", o, samples.opsdojo.length),
  row(`Ansible (${ansible ?? "?"}, pipelining, ControlPersist)`, a, samples.ansible.length),
].filter((r) => r !== undefined);
const ratio = (x: number | undefined, y: number | undefined) =>
  x === undefined || y === undefined || y === 0 ? null : round3(x / y);
const report = {
  hosts: hostCount,
  steps_per_host: 5,
  batch: "25%",
  node: process.version,
  cpus: cpus().length,
  load_average_1m: round3(loadavg()[0] ?? 0),
  ansible: ansible ?? null,
  results: rows,
  ratio_wall_ansible_to_opsdojo: ratio(a?.wall, o?.wall),
  ratio_cpu_total_ansible_to_opsdojo: ratio(
    a === undefined ? undefined : a.controllerCpu + a.hostsCpu,
    o === undefined ? undefined : o.controllerCpu + o.hostsCpu,
  ),
  ratio_cpu_controller_ansible_to_opsdojo: ratio(a?.controllerCpu, o?.controllerCpu),
  opsdojo_failure: opsdojoFailure ?? null,
  ansible_failure: ansibleFailure ?? null,
  trees_identical: mismatches.length === 0 && samples.opsdojo.length > 0 && samples.ansible.length > 0,
  trees_as_expected: mismatches.length === 0,
  bench_seconds: Math.round((performance.now() - started) / 1000),
};

if (asJson) {
  console.log(JSON.stringify(report, null, 2));
} else {
  console.table(rows);
  console.log(
    `${hostCount} hosts × 5 file steps, 25% at a time, ${report.cpus} CPUs, load ${report.load_average_1m}; ` +
      `${rounds === 1 ? "1 round (BENCH_ROUNDS=3 for medians)" : `medians of ${rounds} rounds`}`,
  );
  if (o !== undefined && a !== undefined)
    console.log(
      `Ansible / opsdojo: wall ${report.ratio_wall_ansible_to_opsdojo}×, CPU ${report.ratio_cpu_total_ansible_to_opsdojo}× (controller ${report.ratio_cpu_controller_ansible_to_opsdojo}×); goal ≥ 5×`,
    );
  if (opsdojoFailure !== undefined) console.log(`opsdojo not measured: ${opsdojoFailure}`);
  if (ansibleFailure !== undefined) console.log(`Ansible not measured: ${ansibleFailure}`);
  console.log(
    `trees: ${mismatches.length === 0 ? "as expected" : "DIFFERENT"}${
      report.trees_identical ? ", identical between opsdojo and Ansible (bytes, modes, link targets)" : ""
    }`,
  );
}
for (const m of mismatches) console.error(`tree mismatch: ${m}`);
if (mismatches.length > 0) console.error(`the trees are kept in ${work} for a look`);
else rmSync(work, { recursive: true, force: true });
if (mismatches.length > 0 || opsdojoFailure !== undefined || ansibleFailure !== undefined)
  process.exitCode = 1;
