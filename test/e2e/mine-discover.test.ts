import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { opsdojo } from "../support/opsdojo-process.ts";
import { sharedData } from "../support/shared-data.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";

afterAll(removeTempDirs);

const RUNNING = sharedData("eventlogs", "running-example.xes.gz");

describe("opsdojo mine discover / convert", () => {
  it("mines the running example into a model file, converts it to CSV and mines that with the heuristics miner", async () => {
    const dir = await tempDir();
    const model = join(dir, "model.json");
    const mined = await opsdojo(dir, ["mine", "discover", RUNNING, "--out", model, "--json"]);
    expect(mined.code, mined.stderr).toBe(0);
    const summary = JSON.parse(mined.stdout);
    expect(summary).toMatchObject({
      algorithm: "inductive",
      cases: 6,
      events: 42,
      activities: 8,
      net: { places: 9, transitions: 10, silent: 2, arcs: 22 },
      format: "json",
      out: model,
    });
    const json = JSON.parse(await readFile(model, "utf8"));
    expect(json.format).toBe("opsdojo-process-model/v1");
    expect(json.tree.text).toBe(summary.tree);
    expect(json.tree.text).toContain(
      "*( ->( +( X( 'examine casually', 'examine thoroughly' ), 'check ticket' )",
    );
    expect(json.net.initialMarking).toEqual({ p0: 1 });
    expect(json.net.finalMarking).toEqual({ p1: 1 });
    expect(json.dfg.start).toEqual({ "register request": 6 });

    const pnml = await opsdojo(dir, ["mine", "discover", RUNNING, "--format", "pnml"]);
    expect(pnml.code, pnml.stderr).toBe(0);
    expect(pnml.stdout).toContain('<net id="net1" type="http://www.pnml.org/version-2009/grammar/ptnet">');
    expect(pnml.stdout).toContain("<finalmarkings>");

    const csv = join(dir, "running.csv");
    const converted = await opsdojo(dir, ["mine", "convert", RUNNING, csv, "--json"]);
    expect(converted.code, converted.stderr).toBe(0);
    expect(JSON.parse(converted.stdout)).toMatchObject({ cases: 6, events: 42, to: "csv" });
    const svg = await opsdojo(dir, ["mine", "discover", csv, "--algorithm", "heuristics", "--format", "svg"]);
    expect(svg.code, svg.stderr).toBe(0);
    expect(svg.stdout.startsWith("<svg ")).toBe(true);
    // Each activity with how often it occurred (9 decisions in the running example).
    expect(svg.stdout).toContain(">decide (9)</text>");
  });

  it("draws the time on the arcs of a timed log's model (--arcs), and refuses an unknown --arcs", async () => {
    const dir = await tempDir();
    const dot = await opsdojo(dir, ["mine", "discover", RUNNING, "--format", "dot"]);
    expect(dot.code, dot.stderr).toBe(0);
    // The running example has timestamps: arcs into activities say how often and how long.
    expect(dot.stdout).toMatch(/label="\d+× · [\d.]+ (ms|s|min|h|d)"/);
    expect(dot.stdout).toMatch(/tooltip="median [^"]+, P90 [^"]+, mean [^"]+ over \d+ timed pairs?"/);
    const out = join(dir, "model.svg");
    const svg = await opsdojo(dir, ["mine", "discover", RUNNING, "--out", out, "--arcs", "duration"]);
    expect(svg.code, svg.stderr).toBe(0);
    const drawn = await readFile(out, "utf8");
    expect(drawn).toMatch(/>[\d.]+ (ms|s|min|h|d)<\/text>/);
    expect(drawn).not.toContain("×");
    const bad = await opsdojo(dir, ["mine", "discover", RUNNING, "--format", "svg", "--arcs", "time"]);
    expect(bad.code).toBe(64);
    expect(bad.stderr).toContain('--arcs is frequency, duration, both, not "time"');
  });

  it("mines only the most frequent variants with --variants, and says how much it kept", async () => {
    const dir = await tempDir();
    const receipt = sharedData("eventlogs", "receipt.xes.gz");
    const all = JSON.parse(
      (await opsdojo(dir, ["mine", "discover", receipt, "--out", join(dir, "a.json"), "--json"])).stdout,
    );
    const top = await opsdojo(dir, [
      "mine",
      "discover",
      receipt,
      "--variants",
      "top:5",
      "--out",
      join(dir, "t.json"),
      "--json",
    ]);
    expect(top.code, top.stderr).toBe(0);
    const summary = JSON.parse(top.stdout);
    expect(summary.cases).toBeLessThan(all.cases);
    expect(summary.notes).toEqual([
      expect.stringMatching(/^5 of 116 variants kept: \d+ of 1434 cases \(\d+\.\d %\)$/),
    ]);
    const covered = await opsdojo(dir, [
      "mine",
      "discover",
      receipt,
      "--variants",
      "coverage:80%",
      "--format",
      "json",
    ]);
    expect(covered.code, covered.stderr).toBe(0);
    expect(JSON.parse(covered.stdout).log.cases / 1434).toBeGreaterThanOrEqual(0.8);
    const bad = await opsdojo(dir, ["mine", "discover", receipt, "--variants", "most:5"]);
    expect(bad.code).toBe(64);
    expect(bad.stderr).toContain("--variants is top:K");
  });

  it("mines a raw log with --case, and refuses bad input with the right exit codes", async () => {
    const dir = await tempDir();
    const raw = join(dir, "app.log");
    const lines: string[] = [];
    for (let i = 0; i < 5; i++) {
      lines.push(`2024-01-01 10:00:0${i} INFO req=r${i} received order ${100 + i}`);
      lines.push(`2024-01-01 10:00:1${i} INFO req=r${i} shipped order ${100 + i} to depot ${i}`);
    }
    await writeFile(raw, `${lines.join("\n")}\n`);
    const mined = await opsdojo(dir, [
      "mine",
      "discover",
      raw,
      "--case",
      "req=(r\\d+)",
      "--log-format",
      "<Date> <Time> <Level> <Content>",
      "--algorithm",
      "dfg",
    ]);
    expect(mined.code, mined.stderr).toBe(0);
    const model = JSON.parse(mined.stdout);
    expect(model.log).toEqual({ cases: 5, events: 10, activities: 2 });
    expect(model.dfg.edges).toHaveLength(1);
    expect(model.dfg.edges[0].count).toBe(5);
    expect(model.dfg.edges[0].medianMs).toBe(10_000);

    expect((await opsdojo(dir, ["mine", "discover", raw])).code).toBe(64);
    expect((await opsdojo(dir, ["mine", "discover", RUNNING, "--algorithm", "alpha"])).code).toBe(64);
    const missing = await opsdojo(dir, ["mine", "discover", join(dir, "nope.xes")]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain("cannot read");
    const broken = join(dir, "broken.xes");
    await writeFile(broken, "<log>\n<trace>\n</log>\n");
    const refused = await opsdojo(dir, ["mine", "discover", broken]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(`${broken}:3: </log> found where </trace> was expected`);
  });
});
