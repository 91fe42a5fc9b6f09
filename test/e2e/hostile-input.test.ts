// biome-ignore-all lint/suspicious/noTemplateCurlyInString: operation files' own ${…} references, written literally
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { opsdojo } from "../support/opsdojo-process.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";
import { snapshotTree, treeDifferences } from "../support/tree-snapshot.ts";

afterAll(removeTempDirs);

/** A directory the broken operations name, with a file each would change if it ran at all. */
async function workspace() {
  const dir = await tempDir("opsdojo-hostile-input-");
  const home = await tempDir("opsdojo-hostile-home-");
  await writeFile(join(dir, "app.conf"), "release=1\n");
  return { dir, home, before: await snapshotTree(dir) };
}

/** `validate` and `run` both refuse with exit 3, say each problem at file:line:column, change nothing. */
async function refusedByBoth(
  ws: { dir: string; home: string; before: Awaited<ReturnType<typeof snapshotTree>> },
  name: string,
  lines: string[],
): Promise<string> {
  const file = join(ws.dir, name);
  await writeFile(file, `${lines.join("\n")}\n`);
  const before = { ...ws.before, [name]: (await snapshotTree(ws.dir))[name] };
  const validate = await opsdojo(ws.home, ["validate", file]);
  expect(validate.code, validate.stderr).toBe(3);
  expect(validate.stdout).toBe("");
  const run = await opsdojo(ws.home, ["run", file, "--yes"]);
  expect(run.code, run.stderr).toBe(3);
  // The same problems, whichever command found them; never a stack trace.
  expect(run.stderr).toBe(validate.stderr);
  expect(validate.stderr).not.toMatch(/\n\s+at /);
  expect(treeDifferences(before as typeof ws.before, await snapshotTree(ws.dir))).toEqual([]);
  const runs = await opsdojo(ws.home, ["runs", "list", "--json"]);
  expect(JSON.parse(runs.stdout)).toEqual({ items: [] });
  return validate.stderr;
}

describe("hostile and broken operation files", () => {
  it("unknown references, references to later or unknown steps, a step's own output: exit 3 at file:line:column", async () => {
    const ws = await workspace();
    const file = join(ws.dir, "refs.yaml");
    const stderr = await refusedByBoth(ws, "refs.yaml", [
      "opsdojo: operation/v1",
      "name: refs",
      "params:",
      "  release: { type: string, default: '2' }",
      "steps:",
      "  - name: first",
      "    uses: file.write",
      `    with: { path: "${ws.dir}/app.conf", content: "\${params.nope} \${params.release}" }`,
      "  - name: second",
      "    uses: file.write",
      `    with: { path: "${ws.dir}/app.conf", content: "\${steps.third.output.path}" }`,
      "  - name: third",
      "    uses: file.replace",
      `    with: { path: "${ws.dir}/app.conf", find: "\${steps.ghost.output.x}", replace: "\${steps.third.output.path}" }`,
      "    post:",
      "      - file: { path: '${steps.third.output}' }",
      "      - command: { run: 'echo ${target.nope} ${secrets.token} ${run.id}' }",
    ]);
    const col = (line: number, text: string, ref: string) => `${file}:${line}:${text.indexOf(ref) + 1}: `;
    const line8 = `    with: { path: "${ws.dir}/app.conf", content: "\${params.nope} \${params.release}" }`;
    expect(stderr).toContain(
      `${col(8, line8, "${params.nope}")}steps[0].with.content: \${params.nope}: unknown parameter "nope"`,
    );
    const line11 = `    with: { path: "${ws.dir}/app.conf", content: "\${steps.third.output.path}" }`;
    expect(stderr).toContain(
      `${col(11, line11, "${steps.third")}steps[1].with.content: \${steps.third.output.path}: refers to the step "third", which runs later (step 3; this is step 2)`,
    );
    const line14 = `    with: { path: "${ws.dir}/app.conf", find: "\${steps.ghost.output.x}", replace: "\${steps.third.output.path}" }`;
    expect(stderr).toContain(
      `${col(14, line14, "${steps.ghost")}steps[2].with.find: \${steps.ghost.output.x}: unknown step "ghost"`,
    );
    expect(stderr).toContain(
      `${col(14, line14, "${steps.third")}steps[2].with.replace: \${steps.third.output.path}: a step's own output exists only after it ran`,
    );
    expect(stderr).toContain(
      `${file}:16:24: steps[2].post[0].file.path: \${steps.third.output}: expected \${steps.<step>.output.<field>}`,
    );
    expect(stderr).toContain(
      `${file}:17:31: steps[2].post[1].command.run: \${target.nope}: unknown target var "nope"`,
    );
    expect(stderr).toContain(
      `${file}:17:46: steps[2].post[1].command.run: \${secrets.token}: unknown reference`,
    );
    // ${params.release} and ${run.id} are fine: only the broken references are reported.
    expect(stderr).not.toContain("${params.release}:");
    expect(stderr).not.toContain("${run.id}:");
    expect(stderr).toContain("(7 problems)");
  });

  it("wrong types and duplicate step names: exit 3 at file:line:column, the run never starts", async () => {
    const ws = await workspace();
    const file = join(ws.dir, "types.yaml");
    const stderr = await refusedByBoth(ws, "types.yaml", [
      "opsdojo: operation/v1",
      "name: Types Are Wrong",
      "params:",
      "  workers: { type: number, default: four }",
      "  flag: { type: boolean, default: 'yes' }",
      "strategy: { batch_size: -2, on_failure: shrug }",
      "targets: { name: app-1 }",
      "steps:",
      "  - name: write",
      "    uses: file.write",
      `    with: { path: "${ws.dir}/app.conf", content: "x" }`,
      "    timeout: 10 seconds",
      "    retries: { count: many }",
      "  - name: write",
      "    uses: noop",
      "    pre:",
      "      - tcp: { host: 127.0.0.1, port: 70000 }",
      "      - http: { url: http://127.0.0.1/, status: '200' }",
      "      - command: { run: true }",
      "  - uses: noop",
      "    name: [not, a, name]",
    ]);
    for (const expected of [
      `${file}:2:7: name: got "Types Are Wrong"`,
      `${file}:4:37: params.workers.default: got "four"; expected a number, the declared type of workers`,
      `${file}:5:35: params.flag.default: got "yes"; expected a boolean, the declared type of flag`,
      `${file}:6:25: strategy.batch_size: got -2; expected a whole number of targets (1 or more)`,
      `${file}:6:41: strategy.on_failure: got "shrug"; expected one of: rollback, rollback-target, pause`,
      `${file}:7:10: targets: got a mapping (name); expected a list`,
      `${file}:12:14: steps[0].timeout: got "10 seconds"; expected a duration such as 500ms, 10s, 5m or 1h`,
      `${file}:13:23: steps[0].retries.count: got "many"; expected a whole number`,
      `${file}:14:11: steps[1].name: step name "write" is already used by steps[0]; step names must be unique`,
      `${file}:17:39: steps[1].pre[0].tcp.port: got 70000; expected an integer from 1 to 65535`,
      `${file}:18:49: steps[1].pre[1].http.status: got "200"; expected an integer from 100 to 599`,
      `${file}:19:25: steps[1].pre[2].command.run: got true; expected a string`,
      `${file}:21:11: steps[2].name: got a list of 3; expected a step name`,
    ]) {
      expect(stderr).toContain(expected);
    }
    expect(stderr).toContain("(13 problems)");
  });

  it("wrong types and dangerous values in an action's inputs (mode: 0644, a path of /, a typo'd field): exit 3 before anything runs", async () => {
    const ws = await workspace();
    const file = join(ws.dir, "inputs.yaml");
    const stderr = await refusedByBoth(ws, "inputs.yaml", [
      "opsdojo: operation/v1",
      "name: inputs",
      "steps:",
      "  - name: write",
      "    uses: file.write",
      `    with: { path: "${ws.dir}/app.conf", content: "release=2\\n", mode: 0644 }`,
      "  - name: wipe",
      "    uses: file.delete",
      "    with: { path: /, recusive: true }",
      "  - name: restart",
      "    uses: shell.run",
      "    with: { command: [systemctl, restart, app] }",
      "    undo: { uses: noop, with: { sleep: soon } }",
    ]);
    const line6 = `    with: { path: "${ws.dir}/app.conf", content: "release=2\\n", mode: 0644 }`;
    expect(stderr).toContain(
      `${file}:6:${line6.indexOf("0644") + 1}: steps[0].with.mode: file.write: 644 is read as a decimal number; write the octal mode as a string: "0644"`,
    );
    expect(stderr).toContain(
      `${file}:9:19: steps[1].with.path: file.delete: refusing "/": the path is the filesystem root`,
    );
    expect(stderr).toContain(
      `${file}:9:22: steps[1].with.recusive: file.delete: unknown field; expected one of path, recursive, follow_symlinks`,
    );
    expect(stderr).toContain(`${file}:12:22: steps[2].with.command: shell.run: must be a non-empty string`);
    expect(stderr).toContain(`${file}:13:40: steps[2].undo.with.sleep: noop: must be a duration`);
    expect(stderr).toContain("(5 problems)");
  });
});
