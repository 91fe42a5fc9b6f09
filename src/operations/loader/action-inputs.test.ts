// biome-ignore-all lint/suspicious/noTemplateCurlyInString: operation files' own ${…} references, written literally
import { describe, expect, it } from "vitest";
import { OperationFileError } from "./errors.ts";
import { parseOperation } from "./load.ts";

const op = (steps: string) =>
  `opsdojo: operation/v1\nname: op\nparams:\n  mode: { type: string, default: "0644" }\ntargets:\n  - { name: t, vars: { dir: /srv/app } }\nsteps:\n${steps}`;

function issues(text: string): string[] {
  try {
    parseOperation(text, "op.yaml");
    return [];
  } catch (error) {
    if (!(error instanceof OperationFileError)) throw error;
    return error.issues.map((i) => `${i.line}:${i.column} ${i.path}: ${i.message}`);
  }
}

describe("action inputs checked at load time", () => {
  it("reports each wrong field of each action at its place, several per step", () => {
    expect(
      issues(
        op(`  - name: w
    uses: file.write
    with: { path: "\${target.dir}/app.conf", content: 5, mode: 0644 }
  - name: d
    uses: file.delete
    with: { path: /, recusive: true }
  - name: up
    uses: file.delete
    with: { path: /srv/../etc }
  - name: s
    uses: shell.run
    with: { command: "true", env: { BAD-NAME: x } }
    undo: { uses: shell.run, with: { command: "" } }
  - name: n
    uses: noop
    with: { sleep: 10 seconds }
`),
      ),
    ).toEqual([
      "10:54 steps[0].with.content: file.write: must be a string",
      '10:63 steps[0].with.mode: file.write: 644 is read as a decimal number; write the octal mode as a string: "0644"',
      '13:19 steps[1].with.path: file.delete: refusing "/": the path is the filesystem root',
      "13:22 steps[1].with.recusive: file.delete: unknown field; expected one of path, recursive, follow_symlinks",
      "16:19 steps[2].with.path: file.delete: refusing \"/srv/../etc\": the path has a '..' segment",
      "19:37 steps[3].with.env.BAD-NAME: shell.run: is not a valid variable name",
      "20:47 steps[3].undo.with.command: shell.run: must be a non-empty string",
      '23:20 steps[4].with.sleep: noop: must be a duration such as "500ms", "10s", "5m", "1h"',
    ]);
  });

  it("leaves alone what only the run can know: fields holding references", () => {
    expect(
      issues(
        op(`  - name: w
    uses: file.chmod
    with: { path: "\${target.dir}/run.sh", mode: "\${params.mode}" }
  - name: h
    uses: http.request
    with: { url: "http://127.0.0.1:\${target.dir}/", method: POST }
    undo: { uses: file.write, with: { path: "\${target.dir}/x", content: "\${steps.h.output.body}" } }
`),
      ),
    ).toEqual([]);
  });

  it("says nothing more of a `with` the schema or the data checks already refused", () => {
    const found = issues(op("  - name: a\n    uses: noop\n    with: [1, 2]\n"));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^10:11 steps\[0\]\.with: got a list/);
  });
});
