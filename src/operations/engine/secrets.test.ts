// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} is the operation file's own reference syntax, written literally on purpose.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { ManualClock } from "../../core/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { Journal } from "../journal/index.ts";
import { parseOperation } from "../loader/index.ts";
import { SecretRequiredError } from "../secrets/index.ts";
import { resumeRunById, runOperation, undoRunById } from "./index.ts";

const SECRET = "s3cr3t-engine-4d2a";
const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
afterAll(removeTempDirs);

async function setup() {
  const root = await tempDir();
  const store = await openStore({ home: await tempDir() });
  stores.push(store);
  const clock = new ManualClock("2026-05-01T10:00:00Z");
  // The first step echoes the secret (its output is stored redacted); the second writes that
  // output, so a resumed run must get the real value back from the journal, not the stand-in.
  const op = parseOperation(
    `opsdojo: operation/v1
name: secret-resume
params:
  token: { type: string, secret: true, required: true }
strategy: { on_failure: pause }
steps:
  - name: echo
    uses: shell.run
    with: { command: 'printf %s "$T"', env: { T: "\${params.token}" } }
    undo: { uses: noop }
  - name: write
    uses: file.write
    with: { path: "${root}/token.conf", content: "\${steps.echo.output.stdout}" }
    pre:
      - file: { path: "${root}/gate" }
`,
    "secret-resume.yaml",
  );
  return { root, store, clock, op, options: { store, clock, leaseMs: 60_000 } };
}

describe("a run with a secret param", () => {
  it("resumes only with the secret given again, and then uses the real value of earlier outputs", async () => {
    const { root, store, clock, op, options } = await setup();
    const first = await runOperation(
      { operation: op, operationId: "op_1", params: { token: SECRET } },
      options,
    );
    expect(first.status).toBe("paused");
    const steps = await new Journal(store, clock).steps(first.id);
    expect(steps[0]?.output).toMatchObject({ stdout: "«secret:token»" });

    await writeFile(join(root, "gate"), "");
    const without = resumeRunById(first.id, { operation: op, params: { token: "«secret:token»" } }, options);
    await expect(without).rejects.toBeInstanceOf(SecretRequiredError);
    await expect(without).rejects.toThrow(/secret param token again/);
    expect(await new Journal(store, clock).status(first.id)).toBe("paused");

    const resumed = await resumeRunById(first.id, { operation: op, params: { token: SECRET } }, options);
    expect(resumed.status).toBe("succeeded");
    expect(await readFile(join(root, "token.conf"), "utf8")).toBe(SECRET);
    const stored = JSON.stringify(await new Journal(store, clock).steps(first.id));
    expect(stored).not.toContain(SECRET);
  });

  it("is undone only with the secret: the file written from it is restored", async () => {
    const { root, store, clock, op, options } = await setup();
    await writeFile(join(root, "gate"), "");
    const run = await runOperation(
      { operation: op, operationId: "op_1", params: { token: SECRET } },
      options,
    );
    expect(run.status).toBe("succeeded");
    await expect(
      undoRunById(run.id, { operation: op, params: { token: "«secret:token»" } }, options),
    ).rejects.toBeInstanceOf(SecretRequiredError);
    const undone = await undoRunById(run.id, { operation: op, params: { token: SECRET } }, options);
    expect(undone.status).toBe("rolled_back");
    await expect(readFile(join(root, "token.conf"), "utf8")).rejects.toThrow(/ENOENT/);
    const events = JSON.stringify(await new Journal(store, clock).events(run.id));
    expect(events).not.toContain(SECRET);
    expect(events).toContain("«secret:token»");
  });
});
