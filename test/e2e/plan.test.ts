// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} is the operation file's own reference syntax.
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { opsdojo } from "../support/opsdojo-process.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";

afterAll(removeTempDirs);

/** AWS calls of a preview fail at once (nothing listens on port 9) instead of reaching AWS. */
const AWS_NOWHERE = {
  AWS_REGION: "us-east-1",
  AWS_ENDPOINT_URL: "http://127.0.0.1:9",
  AWS_ACCESS_KEY_ID: "plan-test",
  AWS_SECRET_ACCESS_KEY: "plan-test",
  AWS_MAX_ATTEMPTS: "1",
};

interface Report {
  file: string;
  operation: string;
  undoable: boolean;
  summary: Record<string, number>;
  steps: {
    name: string;
    uses: string;
    class: string;
    reason: string;
    case?: string;
    plan?: { action: string; args: string[]; description: string }[];
    suggestions: string[];
    effects: { resource: string; change: string; detail?: string }[];
    previews: {
      target: string;
      source: string;
      note?: string;
      effects: { resource: string; change: string; detail?: string }[];
    }[];
  }[];
}

describe("opsdojo plan", () => {
  it("exits 0 when every step can be undone, with plans and previews, and changes nothing", async () => {
    const home = await tempDir();
    const srv = join(home, "srv");
    await mkdir(join(srv, "old"), { recursive: true });
    await writeFile(join(srv, "app.conf"), "workers=4\n");
    await writeFile(join(srv, "old", "a.log"), "x");
    const file = join(home, "undoable.yaml");
    await writeFile(
      file,
      [
        "opsdojo: operation/v1",
        "name: undoable",
        "params:",
        "  workers: { type: number, required: true }",
        "targets:",
        `  - { name: box, vars: { dir: ${JSON.stringify(srv)} } }`,
        "steps:",
        '  - { name: config, uses: file.write, with: { path: "${target.dir}/app.conf", content: "workers=${params.workers}\\n" } }',
        '  - { name: clean, uses: file.delete, with: { path: "${target.dir}/old", recursive: true } }',
        "  - { name: drop, uses: s3.delete_bucket, with: { bucket: logs } }",
        "  - { name: restart, uses: shell.run, with: { command: 'true' }, undo: { uses: noop } }",
        "",
      ].join("\n"),
    );
    const result = await opsdojo(home, ["plan", file, "--param", "workers=8", "--json"], AWS_NOWHERE);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.operation).toBe("undoable");
    expect(report.undoable).toBe(true);
    expect(report.summary).toEqual({ automatic: 2, declared: 1, planned: 1, irreversible: 0 });
    const [config, clean, drop, restart] = report.steps;
    expect(config?.class).toBe("automatic");
    expect(config?.previews[0]?.source).toBe("provider");
    expect(config?.previews[0]?.effects[0]?.resource).toBe(`file ${srv}/app.conf`);
    expect(config?.previews[0]?.effects[0]?.change).toBe("modify");
    expect(config?.previews[0]?.effects[0]?.detail).toContain("-workers=4\n+workers=8");
    expect(clean?.class).toBe("automatic");
    expect(clean?.plan?.map((a) => a.action)).toEqual(["file.untrash"]);
    expect(clean?.previews[0]?.effects[0]?.detail).toContain("delete 1 file, 0 directories");
    expect(drop?.class).toBe("planned");
    expect(drop?.plan?.map((a) => `${a.action} ${a.args.join(" ")}`)).toEqual([
      "s3.create_bucket logs",
      "s3.restore_object logs <each object>",
    ]);
    expect(drop?.previews[0]?.effects.map((e) => e.resource)).toContain("bucket logs");
    expect(restart?.class).toBe("declared");
    expect(restart?.reason).toBe("undone by noop");

    // Nothing was changed: the bytes are the same and no trash or temporary file appeared.
    expect(await readFile(join(srv, "app.conf"), "utf8")).toBe("workers=4\n");
    expect((await readdir(srv)).sort()).toEqual(["app.conf", "old"]);
  });

  it("exits 3 when a step cannot be undone, with the reason and suggestions; run refuses the same step", async () => {
    const home = await tempDir();
    const file = join(home, "oneway.yaml");
    await writeFile(
      file,
      [
        "opsdojo: operation/v1",
        "name: oneway",
        "steps:",
        `  - { name: mark, uses: file.write, with: { path: ${JSON.stringify(join(home, "mark"))}, content: x } }`,
        `  - { name: purge, uses: shell.run, with: { command: "rm -rf ${home}/cache" } }`,
        "  - { name: hook, uses: http.request, with: { method: POST, url: 'http://127.0.0.1:9/hooks' } }",
        "",
      ].join("\n"),
    );
    const json = await opsdojo(home, ["plan", file, "--json"]);
    expect(json.code, json.stderr).toBe(3);
    const report = JSON.parse(json.stdout) as Report;
    expect(report.undoable).toBe(false);
    expect(report.summary).toEqual({ automatic: 1, declared: 0, planned: 0, irreversible: 2 });
    const purge = report.steps[1];
    expect(purge?.class).toBe("irreversible");
    expect(purge?.reason).toContain("effects are unknown to opsdojo");
    expect(purge?.suggestions[0]).toBe(
      "use file.delete instead of shell rm: it pseudo-deletes, and undo puts the path back",
    );
    expect(report.steps[2]?.suggestions[0]).toContain("method: DELETE");
    expect(report.steps[1]?.previews[0]?.effects[0]?.change).toBe("unknown");

    const text = await opsdojo(home, ["plan", file]);
    expect(text.code).toBe(3);
    expect(text.stdout).toMatch(/^STEP +ACTION +UNDO +HOW$/m);
    expect(text.stdout).toMatch(/^purge +shell\.run +irreversible +shell\.run has no undo of its own/m);
    expect(text.stdout).toContain("→ use file.delete instead of shell rm");
    expect(text.stdout).toContain("2 steps cannot be undone");

    const run = await opsdojo(home, ["run", file]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("purge, hook");
    await expect(readFile(join(home, "mark"))).rejects.toThrow(/ENOENT/);
  });

  it("refuses an invalid file or a missing param (exit 3) and a missing argument (64)", async () => {
    const home = await tempDir();
    const file = join(home, "bad.yaml");
    await writeFile(file, "opsdojo: operation/v1\nname: bad\nsteps:\n  - { name: a, uses: file.wirte }\n");
    const bad = await opsdojo(home, ["plan", file]);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain(`${file}:4:`);
    const needs = join(home, "needs.yaml");
    await writeFile(
      needs,
      "opsdojo: operation/v1\nname: needs\nparams:\n  n: { type: number, required: true }\nsteps:\n  - { name: a, uses: noop }\n",
    );
    const missing = await opsdojo(home, ["plan", needs]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain("n is required");
    expect((await opsdojo(home, ["plan"])).code).toBe(64);
  });
});
