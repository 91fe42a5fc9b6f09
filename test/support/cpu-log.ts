import { appendFileSync, readFileSync } from "node:fs";
import { relative } from "node:path";
import { afterAll, beforeAll } from "vitest";

/**
 * With OPSDOJO_CPU_LOG=<file>, each test file appends one JSON line: the CPU seconds its worker
 * used (user + system) and those of the child processes it started and waited for (moto_server,
 * `opsdojo` processes, sshd, Chromium…). Wall time says little on a shared machine; CPU is what
 * the suite is bound by. Each file runs in its own fork (`pool: "forks"`, isolated), so the
 * worker's counters are the file's. Processes that detach (PostgreSQL's cluster, started once by
 * the global setup) are counted nowhere.
 */
const TICKS_PER_SECOND = 100;

function cpuSeconds(): { self: number; children: number } {
  // Fields after the command name in parentheses: utime is the 12th, stime, cutime, cstime follow.
  const stat = readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const tick = (i: number) => Number(fields[i]) / TICKS_PER_SECOND;
  return { self: tick(11) + tick(12), children: tick(13) + tick(14) };
}

const log = process.env.OPSDOJO_CPU_LOG;
if (log !== undefined && log !== "") {
  let started = 0;
  beforeAll(() => {
    started = Date.now();
  });
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads the hook's first parameter and insists it is an object pattern; the file is in the second.
  afterAll(({}, suite) => {
    const file = relative(process.cwd(), "filepath" in suite ? suite.filepath : suite.file.filepath);
    const { self, children } = cpuSeconds();
    const line = { file, self, children, cpu: self + children, wall: (Date.now() - started) / 1000 };
    appendFileSync(log, `${JSON.stringify(line)}\n`);
  });
}
