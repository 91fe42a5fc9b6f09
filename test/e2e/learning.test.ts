/**
 * Issue 20 end to end: the demo fills a store; `survey` and `learn` print the same answers on
 * that store and through a real `opsdojo serve` of it; a respondent answers over HTTP with only
 * an invitation code, once; bad input gets a clear error.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeProcess, opsdojo, type Run, type Started, startServe } from "../support/opsdojo-process.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON output, asserted field by field
type Json = any;
const SLOW = { timeout: 300_000 };
const DEMO = fileURLToPath(new URL("../../examples/learning/demo.mjs", import.meta.url));

function json(run: Run): Json {
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout);
}

function node(args: string[], home: string): Promise<Run> {
  return nodeProcess(args, home);
}

let home: string;
let elsewhere: string;
let server: Started;
const remote = (args: string[], token: string | undefined = server.info.token) =>
  opsdojo(elsewhere, args, { OPSDOJO_URL: server.info.url, ...(token ? { OPSDOJO_TOKEN: token } : {}) });

beforeAll(async () => {
  home = await tempDir();
  elsewhere = await tempDir();
  const demo = await node([DEMO, home], home);
  expect(demo.code, demo.stderr).toBe(0);
  expect(demo.stdout).toContain("8 members, 20 drills, 10 learning events");
  server = await startServe(home, ["--services", "directory,gamedays-team,learning"]);
}, 300_000);
afterAll(async () => {
  await server?.stop();
  await removeTempDirs();
});

describe("the learning demo", SLOW, () => {
  it("fills every indicator, the run starters among them, and both survey rounds", async () => {
    const rounds = json(await opsdojo(home, ["survey", "rounds", "--json"]));
    expect(rounds.items.map((r: Json) => [r.name, r.status, r.responses])).toEqual([
      ["round-1", "closed", 7],
      ["round-2", "open", 8],
    ]);
    const results = json(await opsdojo(home, ["survey", "results", "round-1", "--json"]));
    expect(results.dimensions).toHaveLength(7);
    for (const d of results.dimensions) {
      expect(d.survey, d.dimension).toBeGreaterThanOrEqual(1);
      expect(d.evidence, d.dimension).toBeGreaterThanOrEqual(1);
      expect(d.gap, d.dimension).toBeCloseTo(d.survey - d.evidence, 1);
    }
    const indicators = results.evidence.dimensions.flatMap((d: Json) => d.indicators);
    expect(indicators.filter((i: Json) => i.value === null).map((i: Json) => i.id)).toEqual([]);
    expect(indicators).toHaveLength(15);
    // Round 1's window (the 90 days up to its close, 36 days ago, that instant included) holds
    // the runs of bo, ann, cy, dee and eli.
    expect(indicators.find((i: Json) => i.id === "run-starters")).toMatchObject({
      value: 0.63,
      basis: "5 people of 8 started 5 runs",
    });
    const brent = json(await opsdojo(home, ["learn", "bus-factor", "--json"]));
    expect(brent.brents).toEqual([{ name: "gus", services: ["secrets"], areas: ["vault"] }]);
    expect(brent.suggestions.map((s: Json) => s.for)).toEqual(["area:vault"]);
    // Who ran operations on a service: the demo's runs on it, the CI token left out.
    const services = new Map<string, Json>(brent.services.map((s: Json) => [s.service, s]));
    expect(services.get("orders").operators).toEqual(["bo", "dee", "eli"]);
    expect(services.get("secrets").operators).toEqual([]);
    const runs = json(await opsdojo(home, ["runs", "list", "--json"]));
    expect(runs.items).toHaveLength(12);
    expect(runs.items.every((r: Json) => r.status === "succeeded" && typeof r.started_by === "string")).toBe(
      true,
    );
  });

  it("prints the same through a server as on the store", async () => {
    for (const args of [
      ["survey", "results", "round-1"],
      ["learn", "bus-factor"],
      ["learn", "list"],
      ["survey", "rounds"],
    ]) {
      const [local, far] = [await opsdojo(home, args), await remote(args)];
      expect(far.stderr, args.join(" ")).toBe("");
      expect(far.stdout, args.join(" ")).toBe(local.stdout);
    }
  });
});

describe("surveys over HTTP", SLOW, () => {
  it("opens a round with a token, and takes one answer per code from someone without one", async () => {
    const refused = await remote(["survey", "start", "--groups", "a=3"]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("round round-2 of learning-organisation is still open");
    expect(json(await remote(["survey", "close", "round-2", "--json"])).status).toBe("closed");
    const started = json(await remote(["survey", "start", "--round", "e2e", "--groups", "a=3", "--json"]));
    expect(started.round).toMatchObject({ name: "e2e", invitations: 3 });
    const code = started.codes[0].code as string;

    const questions = await remote(["survey", "respond", code], "");
    expect(questions.code, questions.stderr).toBe(0);
    expect(questions.stdout).toContain("cl-time: I get working hours to practise");
    const first = await remote(["survey", "respond", code, "--answers", "cl-time=5,em-act=2"], "");
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain("your answers to round e2e are recorded");
    const second = await remote(["survey", "respond", code, "--answers", "cl-time=5"], "");
    expect(second.code).not.toBe(0);
    expect(second.stderr).toContain("this invitation code is not valid");
    expect(second.stderr).not.toMatch(/\n\s+at /);

    // One respondent of three: nothing shows.
    const results = json(await remote(["survey", "results", "e2e", "--json"]));
    expect(results.dimensions.every((d: Json) => d.survey === null && d.respondents === null)).toBe(true);
  });

  it("says there is no round yet as a failure (exit 1), not as a usage error", async () => {
    const run = await opsdojo(await tempDir(), ["survey", "results"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("no survey round yet");
    expect(run.stderr).not.toContain("--help");
  });

  it("names the file and line of a broken survey, without a stack trace", async () => {
    const file = join(await tempDir(), "mine.yaml");
    await writeFile(
      file,
      "opsdojo: survey/v1\nname: mine\ntitle: Mine\nscale: {min: 1, max: 5, low: a, high: b}\ndimensions: []\n",
    );
    const run = await opsdojo(await tempDir(), ["survey", "start", "--file", file, "--invitations", "3"]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(`${file}:4`);
    expect(run.stderr).toContain(`${file}:5`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
