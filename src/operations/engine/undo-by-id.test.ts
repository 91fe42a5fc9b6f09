// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} is the operation file's own reference syntax, written literally on purpose.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir } from "../../../test/support/temp.ts";
import { ManualClock } from "../../core/index.ts";
import { openStore, type Store } from "../../store/index.ts";
import { registerOperation } from "../catalogue.ts";
import { RunNotFoundError } from "../runs/index.ts";
import { SecretRequiredError } from "../secrets/index.ts";
import { runOperation, undoRunById } from "./index.ts";

const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
afterAll(removeTempDirs);

describe("undoRunById(id, options)", () => {
  it("loads the run's operation and params from the store itself; a secret must be given again", async () => {
    const root = await tempDir();
    const store = await openStore({ home: await tempDir() });
    stores.push(store);
    const clock = new ManualClock("2026-06-01T08:00:00Z");
    const conf = join(root, "app.conf");
    await writeFile(conf, "release=old\n");
    const registered = await registerOperation(
      store,
      clock,
      `opsdojo: operation/v1
name: roll
params:
  release: { type: string, required: true }
  token: { type: string, secret: true, required: true }
steps:
  - name: write
    uses: file.write
    with: { path: "${conf}", content: "release=\${params.release}\\n" }
`,
      "roll.yaml",
    );
    const options = { store, clock, leaseMs: 60_000 };
    const run = await runOperation(
      { operation: registered.operation, operationId: registered.id, params: { release: "2", token: "t0k" } },
      options,
    );
    expect(run.status).toBe("succeeded");
    expect(await readFile(conf, "utf8")).toBe("release=2\n");

    await expect(undoRunById(run.id, options)).rejects.toBeInstanceOf(SecretRequiredError);
    expect(await readFile(conf, "utf8")).toBe("release=2\n");
    const undone = await undoRunById(run.id, { ...options, secrets: { token: "t0k" } });
    expect(undone.status).toBe("rolled_back");
    expect(await readFile(conf, "utf8")).toBe("release=old\n");
    await expect(undoRunById("run_missing", options)).rejects.toBeInstanceOf(RunNotFoundError);
  });
});
