// biome-ignore-all lint/suspicious/noTemplateCurlyInString: operation files use ${…} literally.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { ScenarioFileError } from "../errors.ts";
import { loadScenario, parseScenario } from "./load.ts";

afterAll(removeTempDirs);

const VALID = `opsdojo: scenario/v1
name: silent-disk
title: The Silent Disk
difficulty: 2
timebox: 45m
brief: |
  Customers report 500s.
gm_notes: The config was emptied.
roles: [gm, primary, secondary]
faults:
  - name: empty-config
    at: 0s
    steps:
      - name: empty
        uses: file.write
        with: { path: /tmp/opsdojo-scenario-test/app.conf, content: "" }
injects:
  - { at: 5m, from: support, text: "Now 30% of checkouts fail." }
hints:
  - { after: 15m, text: "Look at what changed." }
objectives:
  - name: checkout-works
    http: { url: "http://127.0.0.1:8081/health", status: 200 }
stop_conditions:
  - name: blast-radius
    http: { url: "http://127.0.0.1:8082/health", status: 200 }
    fails_for: 30s
`;

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioFileError);
    return (error as ScenarioFileError).issues.map((i) => `${i.line}:${i.column} ${i.path}: ${i.message}`);
  }
  throw new Error("expected the scenario to be refused");
}

describe("parseScenario", () => {
  it("accepts the GAMEDAYS.md example shape (faults at, hints after, stop conditions with fails_for)", () => {
    const s = parseScenario(VALID, "s.yaml");
    expect(s.name).toBe("silent-disk");
    expect(s.faults[0]?.steps?.[0]?.uses).toBe("file.write");
    expect(s.hints?.[0]?.after).toBe("15m");
    expect(s.stop_conditions?.[0]?.fails_for).toBe("30s");
  });

  it("takes the conflict policy of the restore, and names the three when given another", () => {
    expect(parseScenario(`${VALID}on_conflict: keep\n`, "s.yaml").on_conflict).toBe("keep");
    expect(parseScenario(VALID, "s.yaml").on_conflict).toBeUndefined();
    const issues = issuesOf(() => parseScenario(`${VALID}on_conflict: overwrite\n`, "s.yaml"));
    expect(issues).toEqual(['28:14 on_conflict: got "overwrite"; expected one of: refuse, restore, keep']);
  });

  it("reports every problem with line and column", () => {
    const text = VALID.replace("timebox: 45m", "timebox: 45 minutes")
      .replace("difficulty: 2", "difficulty: 9")
      .replace("gm_notes:", "gm_note:");
    const issues = issuesOf(() => parseScenario(text, "s.yaml"));
    expect(issues).toContain(
      '8:1 gm_note: unknown field "gm_note" (did you mean gm_notes?); expected one of: opsdojo, name, title, difficulty, timebox, brief, gm_notes, roles, faults, injects, hints, objectives, stop_conditions, on_conflict, stable_for',
    );
    expect(issues.some((i) => i.startsWith("4:13 difficulty: got 9"))).toBe(true);
    expect(issues.some((i) => i.startsWith('5:10 timebox: got "45 minutes"; expected a duration'))).toBe(
      true,
    );
  });

  it("places a fault that has both an operation and steps, and offsets past the timebox", () => {
    const text = VALID.replace("    at: 0s\n", "    at: 50m\n    operation: ./x.yaml\n");
    const issues = issuesOf(() => parseScenario(text, "s.yaml"));
    expect(issues).toContain(
      "11:5 faults[0]: has both operation and steps; expected one: an operation file or inline steps",
    );
    expect(issues).toContain('12:9 faults[0].at: got "50m"; expected an offset inside the timebox (45m)');
  });

  it("refuses a hint with both at and after, duplicate names, and references in checks", () => {
    const text = VALID.replace("{ after: 15m,", "{ at: 1m, after: 15m,")
      .replace("injects:\n  - {", "injects:\n  - { name: empty-config,")
      .replace("status: 200 }\nstop", 'status: "${x}" }\nstop');
    const issues = issuesOf(() => parseScenario(text, "s.yaml"));
    expect(issues).toContain("20:5 hints[0]: expected exactly one of at or after (the same thing)");
    expect(issues).toContain(
      '18:13 injects[0].name: "empty-config" is already the name of faults[0]; names must be unique',
    );
    expect(
      issues.some(
        (i) => i.startsWith("23:58 objectives[0].http.status:") && i.includes("no ${…} references"),
      ),
    ).toBe(true);
  });

  it("says what a check lacks, like operation files do", () => {
    const text = VALID.replace(
      '    http: { url: "http://127.0.0.1:8081/health", status: 200 }\n',
      "    within: 5s\n",
    );
    expect(issuesOf(() => parseScenario(text, "s.yaml"))).toContain(
      "22:5 objectives[0]: got a mapping (name, within); expected one of http, command, file, tcp in the check",
    );
  });
});

describe("loadScenario", () => {
  it("places problems of inline steps where they are written in the scenario", async () => {
    const dir = await tempDir();
    const file = join(dir, "s.yaml");
    await writeFile(file, VALID.replace("uses: file.write", "uses: file.write\n        timeout: soon"));
    await expect(loadScenario(file)).rejects.toSatisfy((e: ScenarioFileError) =>
      e.issues.some((i) => i.line === 16 && i.column === 18 && i.path === "faults[0].steps[0].timeout"),
    );
  });

  it("loads an operation file relative to the scenario, with its params typed, and names that file in its problems", async () => {
    const dir = await tempDir();
    await mkdir(join(dir, "ops"));
    await writeFile(
      join(dir, "ops", "empty.yaml"),
      'opsdojo: operation/v1\nname: empty-config\nparams:\n  dir: { type: string, required: true }\n  size: { type: number, default: 1 }\nsteps:\n  - name: empty\n    uses: file.write\n    with: { path: "${params.dir}/app.conf", content: "" }\n',
    );
    const file = join(dir, "s.yaml");
    const text = VALID.replace(
      '    steps:\n      - name: empty\n        uses: file.write\n        with: { path: /tmp/opsdojo-scenario-test/app.conf, content: "" }\n',
      "    operation: ops/empty.yaml\n    params: { dir: /tmp/x, size: 3 }\n",
    );
    await writeFile(file, text);
    const loaded = await loadScenario(file);
    expect(loaded.faults[0]?.operation.name).toBe("empty-config");
    expect(loaded.faults[0]?.params).toEqual({ dir: "/tmp/x", size: 3 });

    await writeFile(join(dir, "ops", "empty.yaml"), "opsdojo: operation/v1\nname: Bad Name\nsteps: []\n");
    const error = (await loadScenario(file).catch((e: unknown) => e)) as ScenarioFileError;
    expect(error).toBeInstanceOf(ScenarioFileError);
    expect(error.issues[0]).toMatchObject({ file, line: 13, column: 16, path: "faults[0].operation" });
    expect(error.issues.some((i) => i.file === join(dir, "ops", "empty.yaml") && i.line === 2)).toBe(true);
  });

  it("reports params the operation does not declare at the fault's params", async () => {
    const dir = await tempDir();
    await writeFile(
      join(dir, "op.yaml"),
      "opsdojo: operation/v1\nname: noop-fault\nsteps:\n  - { name: wait, uses: noop }\n",
    );
    const file = join(dir, "s.yaml");
    await writeFile(
      file,
      VALID.replace(
        '    steps:\n      - name: empty\n        uses: file.write\n        with: { path: /tmp/opsdojo-scenario-test/app.conf, content: "" }\n',
        "    operation: op.yaml\n    params: { colour: red }\n",
      ),
    );
    const error = (await loadScenario(file).catch((e: unknown) => e)) as ScenarioFileError;
    expect(error.issues.map((i) => `${i.line}:${i.column} ${i.path}`)).toEqual(["14:13 faults[0].params"]);
    expect(error.issues[0]?.message).toContain('"colour" is not a parameter of this operation');
  });

  it("says when the file cannot be read", async () => {
    await expect(loadScenario("/nonexistent/s.yaml")).rejects.toThrow(
      "cannot read /nonexistent/s.yaml: it does not exist",
    );
  });
});
