/**
 * `npm run bench:conformance`: optimal alignments on the shared event logs
 * (`../shared/data/eventlogs`, referenced in place, never copied) against the inductive miner's
 * model (IM, every trace fits) and IMf 0.2 (some traces deviate), beside PM4Py's alignment times
 * from MINING.md; then the online watcher's throughput replaying each log as interleaved lines.
 * Times are the best of `BENCH_RUNS` (default 3) runs; CPU time is printed too, since the machine
 * is shared.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { alignLog } from "../src/mining/conformance/index.ts";
import { discover } from "../src/mining/discovery/index.ts";
import { countEvents, readEventLog } from "../src/mining/eventlog/index.ts";
import { compileNet, netSize } from "../src/mining/petri/index.ts";
import { Watcher } from "../src/mining/watch/index.ts";

const DATA = fileURLToPath(new URL("../../shared/data/eventlogs/", import.meta.url));
/** PM4Py's alignment time (s) with the inductive miner's model, on this kind of machine (MINING.md). */
const PM4PY_ALIGNMENTS: Record<string, number> = {
  "running-example.xes.gz": 0.01,
  "repair-example.xes.gz": 0.75,
  "receipt.xes.gz": 23.7,
  "roadtraffic-100-traces.xes": 0.02,
};
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

function cpuMs(start: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1000;
}

const rows: string[][] = [];
const results: unknown[] = [];
for (const [file, pm4py] of Object.entries(PM4PY_ALIGNMENTS)) {
  const log = await readEventLog(join(DATA, file));
  const traces = log.cases.map((c) => c.events.map((e) => e.activity));
  for (const miner of [
    { name: "IM", noise: 0 },
    { name: "IMf 0.2", noise: 0.2 },
  ]) {
    const model = discover(log, { algorithm: "inductive", noise: miner.noise });
    let wall = Number.POSITIVE_INFINITY;
    let cpu = Number.POSITIVE_INFINITY;
    let result: ReturnType<typeof alignLog> | undefined;
    for (let i = 0; i < RUNS; i++) {
      const cn = compileNet(model.net); // fresh: no cache carried from the previous run
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      result = alignLog(cn, traces);
      wall = Math.min(wall, performance.now() - t0);
      cpu = Math.min(cpu, cpuMs(c0));
    }
    const r = result as ReturnType<typeof alignLog>;
    const states = r.variants.map((v) => v.alignment.states);
    const deviations = r.variants.reduce(
      (n, v) => n + (v.alignment.cost === null ? 0 : v.alignment.deviations.length * v.cases.length),
      0,
    );
    const size = netSize(model.net);
    // The watcher on the same log: cases interleaved round robin, one event a line; twice, the
    // second time with new case ids (states and steps of the net are cached by then: "warm").
    const watcher = new Watcher({ net: model.net, dfg: model.dfg });
    let events = 0;
    let flagged = 0;
    const fittingIds = new Set<string>();
    for (const v of r.variants)
      if (v.alignment.cost === 0) for (const i of v.cases) fittingIds.add(log.cases[i]?.id ?? "");
    let falseAlarms = 0;
    const pass = (suffix: string) => {
      const queues = log.cases.map((c) => ({ id: c.id + suffix, i: 0, events: c.events }));
      const w0 = performance.now();
      let n = 0;
      for (let live = queues; live.length > 0; live = live.filter((q) => q.i < q.events.length)) {
        for (const q of live) {
          const e = q.events[q.i++];
          if (e === undefined) continue;
          n++;
          const ds = watcher.event({ case: q.id, activity: e.activity, line: ++events });
          flagged += ds.length;
          if (ds.length > 0 && fittingIds.has(q.id.replace(/#2$/, ""))) falseAlarms++;
        }
      }
      return Math.round(n / ((performance.now() - w0) / 1000));
    };
    const cold = pass("");
    const warm = pass("#2");
    flagged /= 2;
    rows.push([
      file.replace(/\.xes(\.gz)?$/, ""),
      `${log.cases.length}/${countEvents(log)}`,
      miner.name,
      `${size.places}/${size.transitions}(${size.silent})`,
      String(r.variants.length),
      (wall / 1000).toFixed(2),
      (cpu / 1000).toFixed(2),
      miner.name === "IM" ? `${pm4py}` : "",
      r.logFitness.toFixed(4),
      `${r.fittingTraces}/${r.traces}`,
      String(deviations),
      String(Math.max(...states)),
      `${cold.toLocaleString("en-US")} / ${warm.toLocaleString("en-US")}`,
      `${flagged} (${falseAlarms})`,
    ]);
    results.push({
      log: file,
      miner: miner.name,
      variants: r.variants.length,
      align_s: Number((wall / 1000).toFixed(3)),
      align_cpu_s: Number((cpu / 1000).toFixed(3)),
      pm4py_s: miner.name === "IM" ? pm4py : null,
      fitness: Number(r.logFitness.toFixed(4)),
      fitting: r.fittingTraces,
      failed: r.failedTraces,
      deviations,
      max_states: Math.max(...states),
      watch_events_per_s_cold: cold,
      watch_events_per_s_warm: warm,
      watch_deviations: flagged,
      watch_flags_on_fitting_cases: falseAlarms,
    });
  }
}
const headers = [
  "log",
  "traces/events",
  "model",
  "net P/T(τ)",
  "variants",
  "align s",
  "cpu s",
  "PM4Py s",
  "fitness",
  "fitting",
  "deviations",
  "max states",
  "watch ev/s cold / warm",
  "watch flags (on fitting cases)",
];
const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
const line = (cells: string[]) =>
  cells
    .map((c, i) => c.padEnd(widths[i] ?? 0))
    .join("  ")
    .trimEnd();
console.log(line(headers));
for (const r of rows) console.log(line(r));
console.log(
  "alignments: standard costs (log/model move 1, τ and sync 0), A* per variant; fitness 1 − Σcost/Σworst. watch: the same log as interleaved live events.",
);
console.log(JSON.stringify(results));
