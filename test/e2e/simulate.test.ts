import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { opsdojo } from "../support/opsdojo-process.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";

afterAll(removeTempDirs);

const OPERATION = [
  "opsdojo: operation/v1",
  "name: roll",
  "targets: [{ name: a }, { name: b }, { name: c }, { name: d }]",
  "strategy: { batch_size: 2, max_failures: 1 }",
  "steps:",
  "  - { name: drain, uses: noop }",
  "  - { name: deploy, uses: noop, retries: { count: 1 } }",
  "",
].join("\n");

const PROFILE = [
  "opsdojo: simulation-profile/v1",
  "steps:",
  "  drain: { duration: 10s, fail_rate: 0.01, undo: 1s }",
  "  deploy: { duration: { min: 20s, max: 40s }, fail_rate: 0.05, undo: 5s }",
  "",
].join("\n");

async function files() {
  const home = await tempDir();
  const op = join(home, "roll.yaml");
  const profile = join(home, "profile.yaml");
  await writeFile(op, OPERATION);
  await writeFile(profile, PROFILE);
  return { home, op, profile };
}

describe("opsdojo simulate", () => {
  it("prints the report from a profile, the same for the same seed", async () => {
    const { home, op, profile } = await files();
    const args = ["simulate", op, "--profile", profile, "--history", "0", "--runs", "2000", "--seed", "7"];
    const first = await opsdojo(home, [...args, "--deadline", "2m", "--max-risk", "0.01"]);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatchInlineSnapshot(`
      "roll: 2000 simulated runs of 4 targets, batches of 2, max_failures 1, on_failure rollback (seed 7)

        P(success)                    94.9 %  (93.8 %–95.8 %)
        P(done, failures tolerated)   5.1 %  (4.2 %–6.1 %)
        P(rollback)                   0.1 %  (0.0 %–0.3 %)
        P(pause)                      0.0 %  (0.0 %–0.2 %)
        failed targets per run        0.1 expected
        time to complete              P50 1m 29s (1m 29s–1m 30s)  P90 1m 53s (1m 52s–1m 55s)  P99 2m 13s (2m 12s–2m 19s)
        rollback time                 P50 2.0s  P90 2.0s

      Time of every run (the rollbacks included)
           12.0s │▏ 1
           16.8s │
           21.6s │
           26.4s │
           31.1s │
           35.9s │
           40.7s │
           45.5s │
           50.3s │
           55.1s │
           59.9s │▏ 1
          1m 05s │█▎ 13
          1m 09s │██████ 63
          1m 14s │██████████████▊ 154
          1m 19s │████████████████████████████▋ 300
          1m 24s │███████████████████████████████████████▊ 416
          1m 29s │████████████████████████████████████████ 419
          1m 33s │███████████████████████▎ 243
          1m 38s │██████▍ 67
          1m 43s │████▎ 44
          1m 48s │█████▉ 62
          1m 52s │██████▋ 70
          1m 57s │█████▌ 58
          2m 02s │███▉ 41
          2m 07s │██ 21
          2m 12s │█▍ 14
          2m 16s │▎ 3
          2m 21s │▋ 6
          2m 26s │▎ 2
          2m 31s │▎ 2

      Bottlenecks
      step    time                critical path  failures              evidence
      drain   24.1 %  ██▉         21.9 %         79.6 %    █████████▌  0 attempts (profile)
      deploy  75.9 %  █████████▏  78.1 %         20.4 %    ██▌         0 attempts (profile)

      What if (1000 runs each; risk = P(rollback or pause), deadline 2m 00s, max risk 1.0 %): the Pareto front
      batch_size  max_failures  P50    P90     risk   failed targets
      4           0             47.7s  1m 11s  5.0 %  0.1
      4           1             47.9s  1m 11s  0.0 %  0.0             ← recommended
        recommended: batch_size 4, max_failures 1 — P90 1m 11s at 0.0 % risk
      "
    `);
    const again = await opsdojo(home, [...args, "--deadline", "2m", "--max-risk", "0.01"]);
    expect(again.stdout).toBe(first.stdout);
  });

  it("learns from the journal of real runs and reports JSON field by field", async () => {
    const { home, op } = await files();
    for (let i = 0; i < 2; i++) expect((await opsdojo(home, ["run", op, "--json"])).code).toBe(0);
    const result = await opsdojo(home, [
      "simulate",
      op,
      "--targets",
      "100",
      "--runs",
      "500",
      "--json",
      "--no-what-if",
    ]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.operation).toBe("roll");
    expect(report.runs).toBe(500);
    expect(report.model.targets).toBe(100);
    expect(report.model.batch_size).toBe(2);
    expect(
      report.model.steps.map((s: { source: string; observations: number }) => [s.source, s.observations]),
    ).toEqual([
      ["journal-step", 8],
      ["journal-step", 8],
    ]);
    expect(report.model.warnings[0]).toMatch(/^step drain: only 8 observed attempts/);
    expect(report.probability.succeeded.value).toBe(1);
    expect(report.time_ms.complete.p50.value).toBeGreaterThanOrEqual(0);
    expect(report.bottlenecks).toHaveLength(2);
    expect(report.what_if).toBeNull();
  });

  it("writes the time distribution as an SVG chart", async () => {
    const { home, op, profile } = await files();
    const out = join(home, "roll.svg");
    const result = await opsdojo(home, [
      "simulate",
      op,
      "--profile",
      profile,
      "--history",
      "0",
      "--format",
      "svg",
      "--out",
      out,
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`wrote the time distribution chart to ${out}\n`);
    const svg = await readFile(out, "utf8");
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain(">P50 ");
    expect(svg.match(/<rect /g)?.length).toBeGreaterThan(2);
  });

  it("refuses bad input with where and what, never a stack trace", async () => {
    const { home, op } = await files();
    const bad = join(home, "bad.yaml");
    await writeFile(bad, "steps:\n  drain: { fail_rate: 2 }\n");
    const profile = await opsdojo(home, ["simulate", op, "--profile", bad]);
    expect(profile.code).not.toBe(0);
    expect(profile.stderr).toContain(`${bad}:2: steps.drain.fail_rate: expected a probability from 0 to 1`);
    expect(profile.stderr).not.toMatch(/\n\s+at /);
    const flag = await opsdojo(home, ["simulate", op, "--runs", "many"]);
    expect(flag.code).toBe(64);
    expect(flag.stderr).toContain('--runs "many" must be a whole number from 100 to 1000000');
  });

  it("says the simulated P50/P90 before a large run, and runs show compares the run with it", async () => {
    const home = await tempDir();
    const op = join(home, "wide.yaml");
    const targets = Array.from({ length: 60 }, (_, i) => `{ name: h${i} }`).join(", ");
    await writeFile(
      op,
      [
        "opsdojo: operation/v1",
        "name: wide",
        `targets: [${targets}]`,
        "strategy: { batch_size: 20 }",
        "steps:",
        "  - { name: touch, uses: noop }",
        "",
      ].join("\n"),
    );
    const first = await opsdojo(home, ["run", op]);
    expect(first.code).toBe(0);
    expect(first.stderr).not.toContain("simulated from"); // no history yet
    const second = await opsdojo(home, ["run", op]);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(
      /simulated from 1 earlier run: P50 [^,]+, P90 [^,]+, P\(success\) 100\.0 %/,
    );
    const runs = JSON.parse((await opsdojo(home, ["runs", "list", "--json"])).stdout).items as {
      id: string;
    }[];
    const latest = runs[0]?.id as string;
    const shown = await opsdojo(home, ["runs", "show", latest]);
    expect(shown.stdout).toMatch(
      /predicted from 1 earlier run: P50 .+, P90 .+, P\(success\) 100\.0 %\nit took .+ \((at or under P50|between P50 and P90|slower than P90)\) and ended succeeded/,
    );
    const json = JSON.parse((await opsdojo(home, ["runs", "show", latest, "--json"])).stdout);
    expect(json.prediction.learned_runs).toBe(1);
    expect(json.prediction.took_ms).toBeGreaterThanOrEqual(0);
    // The first run had nothing before it to be predicted from.
    const oldest = runs[1]?.id as string;
    expect(
      JSON.parse((await opsdojo(home, ["runs", "show", oldest, "--json"])).stdout).prediction,
    ).toBeUndefined();
  });
});
