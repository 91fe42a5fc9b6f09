import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { opsdojo } from "../support/opsdojo-process.ts";
import { removeTempDirs, tempDir } from "../support/temp.ts";

afterAll(removeTempDirs);

describe("opsdojo validate", () => {
  it("accepts a valid operation (exit 0) and reports every problem of a broken one with file:line:column (exit 3)", async () => {
    const dir = await tempDir();
    const good = join(dir, "roll config.yaml");
    await writeFile(
      good,
      [
        "opsdojo: operation/v1",
        "name: roll-app-config",
        "params:",
        "  release: { type: string, required: true }",
        "targets:",
        "  - { name: app-1, vars: { dir: /srv/app-1 } }",
        "steps:",
        "  - name: write-config",
        "    uses: file.write",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: an operation file's own ${…} references
        '    with: { path: "${target.dir}/app.conf", content: "release=${params.release}" }',
        "",
      ].join("\n"),
    );
    const ok = await opsdojo(dir, ["validate", good, "--json"]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({
      file: good,
      valid: true,
      name: "roll-app-config",
      steps: ["write-config"],
      targets: ["app-1"],
    });

    const bad = join(dir, "bad.yaml");
    await writeFile(
      bad,
      [
        "opsdojo: operation/v1",
        "name: roll",
        "steps:",
        "  - name: a",
        "    uses: file.wirte",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: an operation file's own ${…} reference
        '    with: { path: "${params.nope}" }',
        "",
      ].join("\n"),
    );
    const refused = await opsdojo(dir, ["validate", bad]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(
      `${bad}:5:11: steps[0].uses: got "file.wirte" (did you mean file.write?)`,
    );
    expect(refused.stderr).toContain(
      `${bad}:6:20: steps[0].with.path: \${params.nope}: unknown parameter "nope"`,
    );
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    expect(refused.stdout).toBe("");

    const usage = await opsdojo(dir, ["validate"]);
    expect(usage.code).toBe(64);
  });
});
