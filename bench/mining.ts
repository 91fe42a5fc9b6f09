/**
 * `npm run bench:mining`: the template miner against the Loghub-2k ground truth and for speed.
 *
 * 1. Accuracy: each of the 12 data sets in ../shared/data/loghub-2k is mined with its header
 *    format only (the LogPAI benchmark settings below — no per-data-set expressions or
 *    thresholds), through `mineFiles` and its `--assignments` output, and scored against the
 *    corrected templates: GA, PA, FGA, FTA, beside Drain's numbers from MINING.md.
 * 2. Throughput: a 1 000 000-line log is built in a temp dir from the 2k samples (every number
 *    redrawn, lines drawn at random, so parameters vary and the order is shuffled) and mined in a
 *    child process, which reports lines/s and its peak RSS. Two logs: all 12 data sets mixed (the
 *    whole line is the message: header detection cannot fit a mix), and HDFS with its header.
 *
 * BENCH_LINES changes the size of the generated logs; BENCH_SEED the random draw.
 */
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  accuracy,
  compileLogFormat,
  type LabelledLine,
  mineFiles,
  parseCsv,
  presetFormat,
} from "../src/mining/templates/index.ts";

const DATA = resolve(import.meta.dirname, "../../shared/data/loghub-2k");

/** The LogPAI benchmark's header formats (header only), and Drain's GA from MINING.md. */
const DATASETS: readonly { name: string; format: string; drainGa: number }[] = [
  { name: "HDFS", format: "<Date> <Time> <Pid> <Level> <Component>: <Content>", drainGa: 0.998 },
  { name: "Hadoop", format: "<Date> <Time> <Level> \\[<Process>\\] <Component>: <Content>", drainGa: 0.948 },
  { name: "Spark", format: "<Date> <Time> <Level> <Component>: <Content>", drainGa: 0.92 },
  {
    name: "Zookeeper",
    format: "<Date> <Time> - <Level>  \\[<Node>:<Component>@<Id>\\] - <Content>",
    drainGa: 0.967,
  },
  { name: "HPC", format: "<LogId> <Node> <Component> <State> <Time> <Flag> <Content>", drainGa: 0.887 },
  {
    name: "Thunderbird",
    format:
      "<Label> <Timestamp> <Date> <User> <Month> <Day> <Time> <Location> <Component>(\\[<PID>\\])?: <Content>",
    drainGa: 0.955,
  },
  {
    name: "Windows",
    format: "<Date> <Time>, <Level>                  <Component>    <Content>",
    drainGa: 0.997,
  },
  { name: "Android", format: "<Date> <Time>  <Pid>  <Tid> <Level> <Component>: <Content>", drainGa: 0.831 },
  { name: "HealthApp", format: "<Time>\\|<Component>\\|<Pid>\\|<Content>", drainGa: 0.78 },
  { name: "Apache", format: "\\[<Time>\\] \\[<Level>\\] <Content>", drainGa: 1.0 },
  { name: "Proxifier", format: "\\[<Time>\\] <Program> - <Content>", drainGa: 0.527 },
  { name: "OpenSSH", format: "<Date> <Day> <Time> <Component> sshd\\[<Pid>\\]: <Content>", drainGa: 0.789 },
];
const DRAIN_AVERAGE = { ga: 0.883, pa: 0.47, fga: 0.777, fta: 0.387 };

const logOf = (name: string) => join(DATA, name, `${name}_2k.log`);

// The child process of part 2: mine one file, print lines/s and peak RSS as JSON.
if (process.argv[2] === "--throughput") {
  const [file, source] = process.argv.slice(3) as [string, string];
  const format = source === "plain" ? presetFormat("plain") : compileLogFormat(source);
  const cpu = process.cpuUsage();
  const result = await mineFiles([file], { format });
  const used = process.cpuUsage(cpu);
  const lines = result.files.reduce((n, f) => n + f.lines, 0);
  console.log(
    JSON.stringify({
      lines,
      seconds: result.seconds,
      cpuSeconds: (used.user + used.system) / 1e6,
      templates: result.miner.size,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
    }),
  );
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), "opsdojo-bench-mining-"));
try {
  await accuracyTable();
  await throughput();
} finally {
  rmSync(dir, { recursive: true, force: true });
}

async function accuracyTable(): Promise<void> {
  const rows: string[][] = [];
  const sums = { ga: 0, pa: 0, fga: 0, fta: 0 };
  const results: Record<string, unknown> = {};
  for (const d of DATASETS) {
    const assignments = join(dir, `${d.name}.csv`);
    await mineFiles([logOf(d.name)], { format: compileLogFormat(d.format), assignments });
    const predicted: LabelledLine[] = parseCsv(readFileSync(assignments, "utf8"))
      .slice(1)
      .map((r) => ({ group: r[1] ?? "", template: r[2] ?? "" }));
    const truthRows = parseCsv(readFileSync(`${logOf(d.name)}_structured_corrected.csv`, "utf8"));
    const column = (truthRows[0] ?? []).indexOf("EventTemplate");
    const truth = truthRows.slice(1).map((r) => ({ group: r[column] ?? "", template: r[column] ?? "" }));
    const a = accuracy(predicted, truth);
    sums.ga += a.ga;
    sums.pa += a.pa;
    sums.fga += a.fga;
    sums.fta += a.fta;
    results[d.name] = {
      ga: a.ga,
      pa: a.pa,
      fga: a.fga,
      fta: a.fta,
      templates: a.predictedGroups,
      truth: a.trueGroups,
    };
    rows.push([
      d.name,
      a.ga.toFixed(3),
      d.drainGa.toFixed(3),
      a.pa.toFixed(3),
      a.fga.toFixed(3),
      a.fta.toFixed(3),
      `${a.predictedGroups}/${a.trueGroups}`,
    ]);
  }
  const n = DATASETS.length;
  const avg = { ga: sums.ga / n, pa: sums.pa / n, fga: sums.fga / n, fta: sums.fta / n };
  const drainGaAvg = DATASETS.reduce((s, d) => s + d.drainGa, 0) / n;
  rows.push([
    "average",
    avg.ga.toFixed(3),
    drainGaAvg.toFixed(3),
    avg.pa.toFixed(3),
    avg.fga.toFixed(3),
    avg.fta.toFixed(3),
    "",
  ]);
  rows.push([
    "Drain (MINING.md)",
    DRAIN_AVERAGE.ga.toFixed(3),
    "",
    DRAIN_AVERAGE.pa.toFixed(3),
    DRAIN_AVERAGE.fga.toFixed(3),
    DRAIN_AVERAGE.fta.toFixed(3),
    "",
  ]);
  const header = ["data set", "GA", "Drain GA", "PA", "FGA", "FTA", "templates/true"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: readonly string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ");
  console.log("Accuracy on Loghub-2k (corrected templates), header format only\n");
  console.log(line(header));
  for (const r of rows) console.log(line(r));
  console.log(`\n${JSON.stringify({ accuracy: { ...results, average: avg } })}\n`);
}

async function throughput(): Promise<void> {
  const lines = Number(process.env.BENCH_LINES ?? 1_000_000);
  const mixed = await generate(
    DATASETS.map((d) => d.name),
    lines,
    join(dir, "mixed.log"),
  );
  const hdfs = await generate(["HDFS"], lines, join(dir, "hdfs.log"));
  const hdfsFormat = DATASETS[0]?.format ?? "";
  console.log(
    `Throughput, ${lines.toLocaleString("en-US")} generated lines, single-threaded (Drain3 ≈ 35 000 lines/s)\n`,
  );
  for (const [label, file, format] of [
    ["12 data sets mixed, whole line as message", mixed, "plain"],
    ["HDFS with its header format", hdfs, hdfsFormat],
  ] as const) {
    const child = spawnSync(
      process.execPath,
      ["--import", "tsx", import.meta.filename, "--throughput", file, format],
      {
        encoding: "utf8",
      },
    );
    if (child.status !== 0) throw new Error(`throughput run failed: ${child.stderr}`);
    const r = JSON.parse(child.stdout.trim().split("\n").pop() ?? "{}") as {
      lines: number;
      seconds: number;
      cpuSeconds: number;
      templates: number;
      maxRssMb: number;
    };
    const rate = Math.round(r.lines / r.seconds);
    const cpuRate = Math.round(r.lines / r.cpuSeconds);
    // Wall time suffers when other work shares the cores; CPU time (user + system) does not.
    console.log(
      `${label}: ${rate.toLocaleString("en-US")} lines/s wall (${r.seconds.toFixed(2)} s), ${cpuRate.toLocaleString("en-US")} lines per CPU second (GC threads and I/O included); ${r.templates} templates, peak RSS ${r.maxRssMb.toFixed(0)} MB`,
    );
    console.log(
      JSON.stringify({
        throughput: {
          log: label,
          lines_per_s: rate,
          lines_per_cpu_s: cpuRate,
          peak_rss_mb: Math.round(r.maxRssMb),
        },
      }),
    );
  }
}

/**
 * Every number redrawn, digit for digit: runs of digits, except one digit after a letter, which
 * names something (`ssh2`, `eth1`) rather than counting.
 */
function vary(line: string, random: () => number): string {
  return line.replace(/\d+/g, (run, at: number) =>
    run.length === 1 && /[A-Za-z]/.test(line[at - 1] ?? "")
      ? run
      : run.replace(/\d/g, () => String(Math.floor(random() * 10))),
  );
}

/** A log of `count` lines drawn at random from the samples, every digit redrawn. */
async function generate(names: readonly string[], count: number, file: string): Promise<string> {
  const pool = names.flatMap((n) =>
    readFileSync(logOf(n), "utf8")
      .split(/\r?\n/)
      .filter((l) => l.length > 0),
  );
  let seed = Number(process.env.BENCH_SEED ?? 20_240_501) >>> 0;
  const random = () => {
    // xorshift32: deterministic, so every run mines the same log.
    seed ^= seed << 13;
    seed >>>= 0;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    seed >>>= 0;
    return seed / 0x1_0000_0000;
  };
  const out = createWriteStream(file);
  let buffer = "";
  for (let i = 0; i < count; i++) {
    const line = pool[Math.floor(random() * pool.length)] ?? "";
    buffer += `${vary(line, random)}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, "drain");
      buffer = "";
    }
  }
  out.end(buffer);
  await once(out, "finish");
  return file;
}
