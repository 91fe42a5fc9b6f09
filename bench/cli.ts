/**
 * `npm run bench:cli [-- --json]`: how long the `opsdojo` command takes to start and answer,
 * wall clock, against `node -e 0` measured in the same run (the machine may be shared: compare
 * the ratio as much as the seconds).
 *
 * - `node -e 0`: Node itself, the floor.
 * - `opsdojo --version`: the command line and nothing else.
 * - `opsdojo runs list`: a command that opens the local store (an SQLite file with 20 runs).
 * - `opsdojo --help`: every command's declaration, none of its code.
 *
 * Each is run 7 times after a warm-up; the median is reported. Goals: `--version` under 0.15 s,
 * `runs list` under 0.25 s. The CLI runs from its bundle (dist/, `npm run build` first); the
 * bench says so when the bundle is stale and the sources would be run through tsx instead.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(ROOT, "bin/opsdojo.js");
const RUNS = 7;
const json = process.argv.includes("--json");

const home = mkdtempSync(join(tmpdir(), "opsdojo-bench-cli-"));
const env = { ...process.env, OPSDOJO_HOME: home, NO_COLOR: "1", OPSDOJO_URL: "", OPSDOJO_DATABASE_URL: "" };

function once(args: string[]): number {
  const start = process.hrtime.bigint();
  const child = spawnSync(process.execPath, args, { env, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (child.status !== 0) throw new Error(`${args.join(" ")} exited ${child.status}: ${child.stderr}`);
  return ms;
}

function median(args: string[]): number {
  once(args);
  const times = Array.from({ length: RUNS }, () => once(args)).sort((a, b) => a - b);
  return times[Math.floor(RUNS / 2)] as number;
}

function seed(): void {
  // Twenty finished runs of a one-step operation, made by the CLI itself.
  const dir = mkdtempSync(join(tmpdir(), "opsdojo-bench-cli-files-"));
  const file = join(dir, "touch.yaml");
  writeFileSync(
    file,
    `opsdojo: operation/v1
name: touch
targets: [{ name: here }]
steps:
  - name: write
    uses: file.write
    with: { path: "${dir}/out.txt", content: "x\\n" }
`,
  );
  for (let i = 0; i < 20; i++) once([BIN, "run", file]);
  rmSync(dir, { recursive: true, force: true });
}

function bundleNote(): string {
  try {
    const stamp = statSync(join(ROOT, "dist/cli.stamp")).mtimeMs;
    return `bundle built ${new Date(stamp).toISOString()}`;
  } catch {
    return "no bundle: the sources run through tsx (npm run build first)";
  }
}

try {
  seed();
  const cases: [string, string[]][] = [
    ["node -e 0", ["-e", "0"]],
    ["opsdojo --version", [BIN, "--version"]],
    ["opsdojo runs list", [BIN, "runs", "list"]],
    ["opsdojo --help", [BIN, "--help"]],
  ];
  const results = cases.map(([name, args]) => ({ name, median_ms: Math.round(median(args)) }));
  const floor = results[0]?.median_ms ?? 1;
  if (json) {
    console.log(JSON.stringify({ runs: RUNS, bundle: bundleNote(), results }, null, 2));
  } else {
    console.log(`median of ${RUNS}, wall; ${bundleNote()}`);
    for (const r of results)
      console.log(
        `${r.name.padEnd(20)} ${String(r.median_ms).padStart(6)} ms  ${(r.median_ms / floor).toFixed(1)}× node`,
      );
  }
} finally {
  rmSync(home, { recursive: true, force: true });
}
