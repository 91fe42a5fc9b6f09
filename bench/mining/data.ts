/**
 * The data of `npm run bench:mining`: the 12 Loghub-2k sets with their header formats and
 * corrected ground truth, and the seeded redraw of digits used for the robustness runs.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  compileLogFormat,
  type LabelledLine,
  type LogFormat,
  parseCsv,
} from "../../src/mining/templates/index.ts";

export const DATA = resolve(import.meta.dirname, "../../../shared/data/loghub-2k");

/** The LogPAI benchmark's header formats (header only), and Drain's GA from MINING.md. */
export const DATASETS: readonly { name: string; format: string; drainGa: number }[] = [
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
/** Drain3's rate on this kind of machine, as measured when it was installed (docs/mining.md). */
export const DRAIN3_LINES_PER_S = 35_000;
export const DRAIN_AVERAGE = { ga: 0.883, pa: 0.47, fga: 0.777, fta: 0.387 };

export const logOf = (name: string) => join(DATA, name, `${name}_2k.log`);

/** One data set in memory: its format, its non-empty lines and their true templates. */
export interface LoadedSet {
  readonly name: string;
  readonly format: LogFormat;
  readonly lines: readonly string[];
  readonly truth: readonly LabelledLine[];
}

export function loadSet(name: string, format: string): LoadedSet {
  const lines = readFileSync(logOf(name), "utf8")
    .split(/\r?\n/)
    .filter((l) => l.length > 0);
  const rows = parseCsv(readFileSync(`${logOf(name)}_structured_corrected.csv`, "utf8"));
  const column = (rows[0] ?? []).indexOf("EventTemplate");
  const truth = rows.slice(1).map((r) => ({ group: r[column] ?? "", template: r[column] ?? "" }));
  if (truth.length !== lines.length)
    throw new Error(`${name}: ${lines.length} lines, ${truth.length} labels`);
  return { name, format: compileLogFormat(format), lines, truth };
}

/** xorshift32 from a seed: deterministic, so every run draws the same text. */
export function seededRandom(seed = Number(process.env.BENCH_SEED ?? 20_240_501)): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x1_0000_0000;
  };
}

/**
 * Every number redrawn: runs of digits, except one digit after a letter, which names something
 * (`ssh2`, `eth1`) — the generator the throughput runs have always used.
 */
export function redrawNumbers(line: string, random: () => number): string {
  return line.replace(/\d+/g, (run, at: number) =>
    run.length === 1 && /[A-Za-z]/.test(line[at - 1] ?? "")
      ? run
      : run.replace(/\d/g, () => String(Math.floor(random() * 10))),
  );
}

/** Every digit redrawn, names included (`eth3`, `tbird-admin5`, `jk2_init()` vary too). */
export function redrawDigits(line: string, random: () => number): string {
  return line.replace(/\d/g, () => String(Math.floor(random() * 10)));
}
